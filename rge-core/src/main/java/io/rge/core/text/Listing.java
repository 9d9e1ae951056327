package io.rge.core.text;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;

/**
 * Lists for error messages, capped: a hostile file can make a listing millions of names long, and
 * an error message must stay one readable line.
 */
public final class Listing {
  /** How many items a message shows before "… and N more". */
  public static final int DEFAULT_LIMIT = 10;

  private Listing() {}

  /** {@code [a, b, c]}, or {@code [a, b, … and 11,999,998 more]} past {@link #DEFAULT_LIMIT}. */
  public static String of(Collection<?> items) {
    return of(items, DEFAULT_LIMIT);
  }

  /**
   * {@code items} in brackets, at most {@code limit} of them followed by how many were left out.
   */
  public static String of(Collection<?> items, int limit) {
    StringBuilder out = new StringBuilder("[");
    Iterator<?> it = items.iterator();
    for (int shown = 0; it.hasNext() && shown < limit; shown++) {
      out.append(shown == 0 ? "" : ", ").append(it.next());
    }
    int left = items.size() - Math.min(limit, items.size());
    if (left > 0) {
      out.append(limit == 0 ? "" : ", ")
          .append("… and ")
          .append(String.format(Locale.ROOT, "%,d", left))
          .append(" more");
    }
    return out.append(']').toString();
  }
}
