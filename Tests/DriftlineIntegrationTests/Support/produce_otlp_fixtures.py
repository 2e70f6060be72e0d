#!/usr/bin/env python3
"""Produces the OTLP fixtures (Tests/DriftlineCoreTests/Fixtures/otlp) to a Kafka cluster with
confluent-kafka, a Kafka client independent of Driftline's, the way a Collector's Kafka exporter
would: whole export batches, one trace per message keyed by its hex trace id, one span with an
empty key. Also two records that must become dead letters.

    pip install confluent-kafka==2.16.1
    produce_otlp_fixtures.py BOOTSTRAP PROTO_TOPIC JSON_TOPIC FIXTURE_DIR

Prints one line per record: topic, offset, file.
"""
import json
import os
import sys

from confluent_kafka import Producer

bootstrap, proto_topic, json_topic, fixtures = sys.argv[1:5]


def read(name):
    with open(os.path.join(fixtures, name), "rb") as f:
        return f.read()


trace_keys = json.loads(read("expected.json"))["trace_keys"]
records = [(proto_topic, None, "batch.pb")]
records += [(proto_topic, key.encode(), f"trace-{i}.pb") for i, key in enumerate(trace_keys)]
records += [(proto_topic, b"", "span.pb"), (proto_topic, None, "bad-kind.pb"), (proto_topic, None, "batch.json"),
            (json_topic, None, "batch.json")]

producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "enable.idempotence": False})
delivered = []


def report(error, message):
    if error is not None:
        raise SystemExit(f"delivery failed: {error}")
    delivered.append(message)


for topic, key, name in records:
    producer.produce(topic, value=read(name), key=key, on_delivery=report)
    producer.flush(30)  # one at a time, so offsets follow the list order
if len(delivered) != len(records):
    raise SystemExit(f"only {len(delivered)} of {len(records)} records delivered")
for message, (_, _, name) in zip(delivered, records):
    print(message.topic(), message.offset(), name)
