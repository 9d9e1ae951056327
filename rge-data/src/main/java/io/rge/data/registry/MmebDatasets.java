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
              ind("N24News", CLASSIFICATION, "N24News"),
              ind("HatefulMemes", CLASSIFICATION, "HatefulMemes"),
              ind("VOC2007", CLASSIFICATION, "VOC2007"),
              ind("SUN397", CLASSIFICATION, "SUN397"),
              ood("Place365", CLASSIFICATION),
              ood("ImageNet-A", CLASSIFICATION),
              ood("ImageNet-R", CLASSIFICATION),
              ood("ObjectNet", CLASSIFICATION),
              ood("Country211", CLASSIFICATION),
              ind("OK-VQA", VQA, "OK-VQA"),
              ind("A-OKVQA", VQA, "A-OKVQA"),
              ind("DocVQA", VQA, "DocVQA"),
              ind("InfographicsVQA", VQA, "InfographicsVQA"),
              ind("ChartQA", VQA, "ChartQA"),
              ind("Visual7W", VQA, "Visual7W"),
              ood("ScienceQA", VQA),
              ood("VizWiz", VQA),
              ood("GQA", VQA),
              ood("TextVQA", VQA),
              ind("VisDial", RETRIEVAL, "VisDial"),
              ind("CIRR", RETRIEVAL, "CIRR"),
              ind("VisualNews_t2i", RETRIEVAL, "VisualNews_t2i"),
              ind("VisualNews_i2t", RETRIEVAL, "VisualNews_i2t"),
              ind("MSCOCO_t2i", RETRIEVAL, "MSCOCO_t2i"),
              ind("MSCOCO_i2t", RETRIEVAL, "MSCOCO_i2t"),
              ind("NIGHTS", RETRIEVAL, "NIGHTS"),
              ind("WebQA", RETRIEVAL, "WebQA"),
              ood("OVEN", RETRIEVAL),
              ood("FashionIQ", RETRIEVAL),
              ood("EDIS", RETRIEVAL),
              ood("Wiki-SS-NQ", RETRIEVAL),
              ind("MSCOCO", VISUAL_GROUNDING, "MSCOCO"),
              ood("Visual7W-Pointing", VISUAL_GROUNDING),
              ood("RefCOCO", VISUAL_GROUNDING),
              ood("RefCOCO-Matching", VISUAL_GROUNDING)));

  private MmebDatasets() {}

  private static DatasetInfo ind(String name, MetaTask task, String trainSubset) {
    return new DatasetInfo(name, task, Distribution.IND, trainSubset);
  }

  private static DatasetInfo ood(String name, MetaTask task) {
    return new DatasetInfo(name, task, Distribution.OOD, null);
  }
}
