import io.rge.core.*;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

public class RgeExample {
  public static void main(String[] args) throws Exception {
    try (RgeModel model = RgeModel.load(Path.of(args[0]), DeviceChoice.AUTO)) {
      var query = new MultimodalInput("<|image_1|> classify the mirror of this shape", ImageIO.read(Path.of(args[1]).toFile()));
      QueryEmbedding q = model.embedQuery(query, true);
      System.out.println("rationale: " + q.rationale());
      List<String> labels = List.of("blue circle", "red circle", "blue square");
      List<float[]> c = model.embedCandidates(labels.stream().map(MultimodalInput::text).toList());
      for (int i = 0; i < labels.size(); i++) System.out.printf("%-12s %.3f%n", labels.get(i), q.similarity(c.get(i)));
    }
  }
}
