"""Multi-task model: shared MiniLM (BertModel) encoder, sentiment head + BIO token head."""
from __future__ import annotations

import torch
from torch import nn
from transformers import BertConfig, BertModel

from common import NER_LABELS, SENT_LABELS


class TweetMultiTask(nn.Module):
    def __init__(self, config: BertConfig, dropout: float = 0.1):
        super().__init__()
        self.config = config
        self.bert = BertModel(config, add_pooling_layer=False)
        self.dropout = nn.Dropout(dropout)
        self.sentiment = nn.Linear(config.hidden_size, len(SENT_LABELS))
        self.entities = nn.Linear(config.hidden_size, len(NER_LABELS))
        for lin in (self.sentiment, self.entities):
            nn.init.normal_(lin.weight, std=0.02)
            nn.init.zeros_(lin.bias)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                      token_type_ids=token_type_ids).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)  # mean pooling (as MiniLM was trained)
        sentiment_logits = self.sentiment(self.dropout(pooled))
        entity_logits = self.entities(self.dropout(h))
        return sentiment_logits, entity_logits


def load_config(path):
    import json
    d = json.load(open(path))
    for k in ("id2label", "label2id", "tidings", "architectures", "transformers_version"):
        d.pop(k, None)
    return BertConfig(**d)
