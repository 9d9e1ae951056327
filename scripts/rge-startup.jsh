// Loaded by `scripts/rge jshell` after jshell's DEFAULT startup.
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.rge.core.*;
import io.rge.core.config.*;
import io.rge.core.qwen25vl.*;

System.out.println("RGE " + io.rge.core.cli.ProjectVersion.get() + " -- DjlEngine.get() starts PyTorch; /exit to leave");
