# offshore as a container: a static binary (CGO_ENABLED=0) on distroless,
# run as a non-root user, its working folder the /data volume, the daemon
# (`offshore schedule`) as its command.
#
#   docker build --build-arg VERSION=v1.4.0 -t offshore:v1.4.0 .
#   docker run --rm -v offshore-data:/data offshore:v1.4.0 init --dir /data
#   docker run -d --name offshore -v offshore-data:/data -p 127.0.0.1:8080:8080 \
#     -e OFFSHORE_API_TOKEN=... -e OFFSHORE_SMTP_PASSWORD=... offshore:v1.4.0
#
# The daemon listens on 0.0.0.0:8080 inside the container, which offshore
# refuses without an API token (OFFSHORE_API_TOKEN or schedule.api_token).
# Any other command: docker run --rm -v offshore-data:/data offshore:v1.4.0 prune --dry-run
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
ARG BUILD_DATE=unknown
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X github.com/offshore-ma/offshore/pipeline.releaseVersion=${VERSION} -X github.com/offshore-ma/offshore/pipeline.releaseCommit=${COMMIT} -X github.com/offshore-ma/offshore/pipeline.releaseDate=${BUILD_DATE}" \
      -o /out/offshore ./cmd/offshore \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/offshore /usr/local/bin/offshore
# The volume's mount point, owned by the image's non-root user (65532), so
# that a new named volume is writable by it.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
WORKDIR /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/offshore", "--workdir", "/data"]
CMD ["--log-format", "json", "schedule", "--listen", "0.0.0.0:8080"]
