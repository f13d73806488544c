"""Build a tiny Hugging Face classifier with random weights, as `save_pretrained` writes it.

The HuggingFaceExportTest exports it with models/training/export_hf.py and loads the result in
the Java runtime, so the export path users follow for their own models is tested without a hub.

    python make_tiny_hf_model.py OUT sentiment|entities TOKENIZER_JSON [LABEL,LABEL,...]
"""
import sys

import torch
from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification, PreTrainedTokenizerFast

out, task, tokenizer_json = sys.argv[1], sys.argv[2], sys.argv[3]
labels = sys.argv[4].split(",") if len(sys.argv) > 4 else (
    ["negative", "neutral", "positive"] if task == "sentiment" else ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
tokenizer = PreTrainedTokenizerFast(tokenizer_file=tokenizer_json, unk_token="[UNK]", pad_token="[PAD]",
                                    cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                    intermediate_size=64, max_position_embeddings=512,
                    id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
torch.manual_seed(7)
model = (BertForSequenceClassification if task == "sentiment" else BertForTokenClassification)(config)
model.save_pretrained(out)
tokenizer.save_pretrained(out)
print(f"tiny {task} model with labels {labels} -> {out}")
