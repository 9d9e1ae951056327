package io.rge.core.files;

import java.io.IOException;
import java.nio.file.Path;

/** A folder that another run holds ({@link FolderLock}): nothing was written to it. */
public final class FolderInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path folder;

  FolderInUseException(Path folder, String holder) {
    super(
        folder + " is in use by " + holder + "; wait for that run to end or choose another folder");
    this.folder = folder;
  }

  public Path folder() {
    return folder;
  }
}
