# syntax=docker/dockerfile:1
# The driftline image: `docker compose build`, or `docker build -t driftline .`
# Then `docker run --rm driftline --help`.

FROM swift:6.1-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends librdkafka-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The cache mounts keep SwiftPM's checkouts and build products between image builds, so a
# source change recompiles only what changed; the binary is copied out of the mount.
RUN --mount=type=cache,target=/src/.build \
    --mount=type=cache,target=/root/.cache/org.swift.swiftpm \
    swift build -c release --product driftline --static-swift-stdlib \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/driftline" /out/driftline

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends librdkafka1 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --uid 10001 --home-dir /nonexistent --no-create-home \
        --shell /usr/sbin/nologin driftline
COPY --from=build /out/driftline /usr/local/bin/driftline
# `driftline run` without --config reads pipelines/default.yaml from the working directory;
# DATABASE_URL and KAFKA_BROKERS point it elsewhere.
WORKDIR /opt/driftline
COPY pipelines/ ./pipelines/
COPY alerts/ ./alerts/
USER driftline:driftline
ENTRYPOINT ["/usr/local/bin/driftline"]
CMD ["--help"]
