# Storypoint collector image: the `storypoint` binary, the widget bundle and nothing else.
#
#   docker build -t storypoint .
#   docker run -p 8080:8080 -v storypoint-data:/data -e STORYPOINT_ADMIN_TOKEN=… storypoint
#
# Stage 1 builds the widget bundle (WebAssembly, minified JS, the first screen prerendered in
# Chromium) with `cargo xtask dist`; stage 2 builds the collector; the last stage runs it as
# a user without rights, with the database and the recordings in the /data volume. For
# PostgreSQL set STORYPOINT_DB=postgres://… and mount one shared recordings volume.

# Trixie for this stage: the prerender drives Chromium with playwright-core, which needs
# Node.js 20 or newer (bookworm's nodejs is 18). Only files leave this stage.
FROM rust:1.95-trixie AS widget
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm chromium \
 && rm -rf /var/lib/apt/lists/*
# The build tools in layers of their own, so a change to the sources does not rebuild them.
# WASM_BINDGEN_VERSION must match the one in xtask/src/main.rs (xtask reinstalls otherwise).
ARG WASM_BINDGEN_VERSION=0.2.130
RUN rustup target add wasm32-unknown-unknown \
 && cargo install wasm-bindgen-cli --version ${WASM_BINDGEN_VERSION}
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN cargo xtask dist

FROM rust:1.95-bookworm AS collector
WORKDIR /src
COPY . .
RUN cargo build --release -p storypoint-server --bin storypoint

FROM debian:bookworm-slim
# pg_dump, for `storypoint backup` when STORYPOINT_DB is a postgres:// URL (a national
# deployment: docs/deploy.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /data storypoint \
 && mkdir -p /data /app/dist \
 && chown storypoint /data
COPY --from=collector /src/target/release/storypoint /app/storypoint
COPY --from=widget /src/dist/storypoint /app/dist/storypoint
USER storypoint
WORKDIR /data
ENV STORYPOINT_DB=/data/storypoint.db \
    STORYPOINT_AUDIO_DIR=/data/storypoint-audio \
    STORYPOINT_DIST=/app/dist/storypoint \
    STORYPOINT_ADDR=0.0.0.0:8080
EXPOSE 8080
VOLUME ["/data"]
ENTRYPOINT ["/app/storypoint"]
CMD ["serve"]
