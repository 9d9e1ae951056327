package io.rge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The devices list: accepted forms, and one-line errors naming the entry at fault. */
class DeviceListTest {
  @Test
  void parsesCpuReplicasGpusAndAll() {
    DeviceList cpus = DeviceList.parse(List.of("cpu", " CPU "));
    assertEquals(List.of("cpu", "cpu"), cpus.entries());
    assertEquals(DeviceChoice.CPU, cpus.lead());
    assertEquals(List.of(Device.cpu(), Device.cpu()), cpus.resolve(0));

    DeviceList gpus = DeviceList.parse(List.of("gpu", "GPU1"));
    assertEquals(List.of("gpu0", "gpu1"), gpus.entries());
    assertEquals(DeviceChoice.GPU, gpus.lead());
    assertEquals(List.of(Device.gpu(0), Device.gpu(1)), gpus.resolve(2));

    assertEquals(
        List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2)),
        DeviceList.parse(List.of("all")).resolve(3));
  }

  @Test
  void oneEntryIsOneModelInTheVocabularyDeviceChoiceReads() {
    assertEquals(List.of("auto"), DeviceList.of(DeviceChoice.AUTO).entries());
    assertEquals(List.of("gpu0"), DeviceList.of(DeviceChoice.GPU).entries());
    assertEquals(DeviceList.of(DeviceChoice.GPU), DeviceList.parse(" CUDA "));
    assertEquals(List.of(Device.cpu()), DeviceList.parse("auto").resolve(0));
    assertEquals(List.of(Device.gpu(0)), DeviceList.parse("auto").resolve(1));
    assertEquals(DeviceChoice.AUTO, DeviceList.parse("auto").lead());
    assertEquals(DeviceChoice.CPU, DeviceChoice.parse(" Cpu "));
    assertEquals(DeviceChoice.GPU, DeviceChoice.parse("gpu"));
    assertEquals(DeviceChoice.GPU, DeviceChoice.parse("gpu0"));
    assertEquals(DeviceChoice.GPU, DeviceChoice.parse("cuda"));
    assertEquals(DeviceChoice.AUTO, DeviceChoice.parse("AUTO"));
    for (String bad : List.of("gpu1", "all", "tpu", "")) {
      assertEquals(
          "device '" + bad + "' is not one of cpu, gpu, auto",
          assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(bad)).getMessage());
    }
    assertMessage(
        "devices: auto stands alone (a GPU when there is one), not in [auto, cpu]", "auto", "cpu");
  }

  @Test
  void badEntriesAreOneLineErrorsNamingThem() {
    assertMessage("devices: 'tpu0' is not cpu, gpu<N> (gpu0, gpu1, ...) or all", "cpu", "tpu0");
    assertMessage("devices: 'cuda:1' is not cpu, gpu<N> (gpu0, gpu1, ...) or all", "cuda:1");
    assertMessage(
        "devices: gpu1 is listed twice; a GPU holds one replica (only cpu may repeat)",
        "gpu0",
        "gpu1",
        "gpu1");
    assertMessage(
        "devices: [cpu, gpu0] mixes the CPU and GPUs; give replicas of one kind", "cpu", "gpu0");
    assertMessage(
        "devices: all stands alone (every GPU the engine sees), not in [all, gpu0]", "all", "gpu0");
    assertMessage(
        "devices: the first entry holds the lead replica and the optimizer and must be gpu0, got"
            + " gpu1 (choose which GPUs a run sees with CUDA_VISIBLE_DEVICES)",
        "gpu1",
        "gpu0");
    assertEquals(
        "devices: the list is empty; give cpu, gpu0, gpu1, ... or all",
        assertThrows(IllegalArgumentException.class, () -> DeviceList.parse(List.of()))
            .getMessage());
  }

  @Test
  void gpusThatAreNotVisibleAreNamed() {
    DeviceList list = DeviceList.parse(List.of("gpu0", "gpu3"));
    assertEquals(
        "devices: gpu3 is not visible: the PyTorch engine sees 2 GPU(s), gpu0 to gpu1",
        assertThrows(IllegalArgumentException.class, () -> list.resolve(2)).getMessage());
    assertEquals(
        "devices: gpu0 is not visible: the PyTorch engine sees no GPU",
        assertThrows(IllegalArgumentException.class, () -> list.resolve(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeviceList.parse(List.of("all")).resolve(0));
  }

  private static void assertMessage(String expected, String... entries) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceList.parse(List.of(entries)));
    assertEquals(expected, e.getMessage());
  }
}
