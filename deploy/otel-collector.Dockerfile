# The OpenTelemetry Collector (contrib distribution) with a static busybox beside it. The
# collector's image is built FROM scratch and has no shell, curl or wget, so compose could not
# ask its health_check extension whether it is up; busybox's wget does that, and nothing else of
# busybox is used.
FROM busybox:1.37.0-musl AS busybox

FROM otel/opentelemetry-collector-contrib:0.128.0
COPY --from=busybox /bin/busybox /bin/busybox
