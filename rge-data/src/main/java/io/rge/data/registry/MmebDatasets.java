package io.rge.data.registry;

import static io.rge.data.registry.MetaTask.CLASSIFICATION;
import static io.rge.data.registry.MetaTask.RETRIEVAL;
import static io.rge.data.registry.MetaTask.VISUAL_GROUNDING;
import static io.rge.data.registry.MetaTask.VQA;

import java.util.List;

/**
 * The 36 MMEB-eval datasets. Names are the TIGER-Lab/MMEB-eval folder names; IND datasets carry
 * their TIGER-Lab/MMEB-train subset name (the 20 VLM2Vec trained on).
 */
final class MmebDatasets {
  static final DatasetRegistry REGISTRY =
      new DatasetRegistry(
          "MMEB",
          List.of(
              ind("ImageNet-1K", CLASSIFICATION, "ImageNet_1K"),
              ind("N24News", CLASSIFICATION),
              ind("HatefulMemes", CLASSIFICATION),
              ind("VOC2007", CLASSIFICATION),
              ind("SUN397", CLASSIFICATION),
              ood("Place365", CLASSIFICATION),
              ood("ImageNet-A", CLASSIFICATION),
              ood("ImageNet-R", CLASSIFICATION),
              ood("ObjectNet", CLASSIFICATION),
              ood("Country211", CLASSIFICATION),
              ind("OK-VQA", VQA),
              ind("A-OKVQA", VQA),
              ind("DocVQA", VQA),
              ind("InfographicsVQA", VQA),
              ind("ChartQA", VQA),
              ind("Visual7W", VQA),
              ood("ScienceQA", VQA),
              ood("VizWiz", VQA),
              ood("GQA", VQA),
              ood("TextVQA", VQA),
              ind("VisDial", RETRIEVAL),
              ind("CIRR", RETRIEVAL),
              ind("VisualNews_t2i", RETRIEVAL),
              ind("VisualNews_i2t", RETRIEVAL),
              ind("MSCOCO_t2i", RETRIEVAL),
              ind("MSCOCO_i2t", RETRIEVAL),
              ind("NIGHTS", RETRIEVAL),
              ind("WebQA", RETRIEVAL),
              ood("OVEN", RETRIEVAL),
              ood("FashionIQ", RETRIEVAL),
              ood("EDIS", RETRIEVAL),
              ood("Wiki-SS-NQ", RETRIEVAL),
              ind("MSCOCO", VISUAL_GROUNDING),
              ood("Visual7W-Pointing", VISUAL_GROUNDING),
              ood("RefCOCO", VISUAL_GROUNDING),
              ood("RefCOCO-Matching", VISUAL_GROUNDING)));

  private MmebDatasets() {}

  /** An in-distribution dataset whose MMEB-train subset has its name. */
  private static DatasetInfo ind(String name, MetaTask task) {
    return ind(name, task, name);
  }

  private static DatasetInfo ind(String name, MetaTask task, String trainSubset) {
    return new DatasetInfo(name, task, Distribution.IND, trainSubset);
  }

  private static DatasetInfo ood(String name, MetaTask task) {
    return new DatasetInfo(name, task, Distribution.OOD, null);
  }
}
