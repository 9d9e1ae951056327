package io.rge.data.images;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Several stores searched in order (e.g. MMEB-train's per-subset zips); the first that holds a path
 * serves it.
 */
public final class CompositeImageStore implements ImageStore {
  private final List<ImageStore> stores;

  public CompositeImageStore(List<? extends ImageStore> stores) {
    if (stores.isEmpty()) {
      throw new IllegalArgumentException("need at least one image store");
    }
    this.stores = List.copyOf(stores);
  }

  @Override
  public boolean contains(String relPath) {
    return owner(relPath) != null;
  }

  @Override
  public BufferedImage load(String relPath) {
    ImageStore owner = owner(relPath);
    if (owner == null) {
      throw new ImageNotFoundException(relPath, describe());
    }
    return owner.load(relPath);
  }

  @Override
  public String describe() {
    return stores.stream().map(ImageStore::describe).collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (ImageStore store : stores) {
      try {
        store.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private ImageStore owner(String relPath) {
    for (ImageStore store : stores) {
      if (store.contains(relPath)) {
        return store;
      }
    }
    return null;
  }
}
