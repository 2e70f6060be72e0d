#!/usr/bin/env python3
"""Writes the OTLP trace protos as a FileDescriptorSet, read from the descriptors embedded in
the PyPI package opentelemetry-proto (the machine has no network access to the .proto sources;
the package is generated from github.com/open-telemetry/opentelemetry-proto and carries the
same descriptors protoc would build). Usage: dump_descriptors.py OUT.pb; prints the version."""
import sys
from importlib.metadata import version

from google.protobuf import descriptor_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

files = descriptor_pb2.FileDescriptorSet()
for module in (common_pb2, resource_pb2, trace_pb2, trace_service_pb2):
    proto = descriptor_pb2.FileDescriptorProto()
    module.DESCRIPTOR.CopyToProto(proto)
    files.file.append(proto)
with open(sys.argv[1], "wb") as out:
    out.write(files.SerializeToString())
print(version("opentelemetry-proto"))
