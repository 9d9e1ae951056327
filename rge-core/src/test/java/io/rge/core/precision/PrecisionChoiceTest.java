package io.rge.core.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.rge.core.DjlEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionChoiceTest {
  @TempDir Path tmp;

  private static final Bf16Support MAPPED = new Bf16Support(Optional.empty(), true);
  private static final Bf16Support UNMAPPED = new Bf16Support(Optional.empty(), false);

  @Test
  void defaultsPerDevice() {
    assertEquals(ComputePrecision.FP32, PrecisionChoice.resolve(null, Device.cpu(), MAPPED));
    assertEquals(ComputePrecision.BF16, PrecisionChoice.resolve(null, Device.gpu(), MAPPED));
    assertEquals(ComputePrecision.FP16, PrecisionChoice.resolve(null, Device.gpu(), UNMAPPED));
    assertEquals(
        ComputePrecision.FP16,
        PrecisionChoice.resolve(ComputePrecision.FP16, Device.cpu(), UNMAPPED));
  }

  @Test
  void bf16WithoutTheMarkerIsAClearErrorBeforeAnyArrayExists() throws Exception {
    Path library = tmp.resolve("0.36.0-libdjl_torch.so");
    Files.writeString(library, "not a real library");
    Bf16Support missing = Bf16Support.forLibrary(library);
    assertFalse(missing.mapped());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> PrecisionChoice.resolve(ComputePrecision.BF16, Device.gpu(), missing));
    assertTrue(e.getMessage().contains(library.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/build-djl-jni"), e.getMessage());

    Files.writeString(tmp.resolve("0.36.0-libdjl_torch.so.bf16"), "bfloat16 mapped\n");
    Bf16Support marked = Bf16Support.forLibrary(library);
    assertTrue(marked.mapped());
    assertEquals(
        ComputePrecision.BF16,
        PrecisionChoice.resolve(ComputePrecision.BF16, Device.gpu(), marked));
  }

  @Test
  void findsTheJniLibraryInAMapsFile() throws Exception {
    Path maps = tmp.resolve("maps");
    Files.writeString(
        maps,
        "7f0000000000-7f0000001000 r--p 00000000 08:01 1 /usr/lib/libc.so.6\n"
            + "7f0000002000-7f0000003000 r-xp 00000000 08:01 2 "
            + "/root/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so\n"
            + "7f0000004000-7f0000005000 rw-p 00000000 00:00 0 [heap]\n");
    assertEquals(
        Optional.of(Path.of("/root/.djl.ai/pytorch/2.7.1-cpu-linux-x86_64/0.36.0-libdjl_torch.so")),
        Bf16Support.loadedLibrary(maps));
    assertEquals(Optional.empty(), Bf16Support.loadedLibrary(tmp.resolve("absent")));
  }

  /**
   * In this JVM: the library DJL loaded is found, and asking for bf16 either works (a mapped
   * library) or fails with the error, never reaching a bf16 array.
   */
  @Test
  void theLoadedLibraryDecides() {
    DjlEngine.get();
    Bf16Support here = Bf16Support.ofLoadedLibrary();
    assertTrue(here.library().isPresent(), "libdjl_torch.so not found in /proc/self/maps");
    if (here.mapped()) {
      assertEquals(
          ComputePrecision.BF16, PrecisionChoice.resolve(ComputePrecision.BF16, Device.cpu()));
    } else {
      assertThrows(
          IllegalStateException.class,
          () -> PrecisionChoice.resolve(ComputePrecision.BF16, Device.cpu()));
    }
  }

  @Test
  void parsesNamesAndAuto() {
    assertNull(PrecisionChoice.parseOrAuto("auto"));
    assertNull(PrecisionChoice.parseOrAuto(null));
    assertEquals(ComputePrecision.BF16, PrecisionChoice.parseOrAuto(" BF16 "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ComputePrecision.parse("half"));
    assertTrue(e.getMessage().contains("'half'"), e.getMessage());
  }
}
