#!/bin/sh
# Stand-ins for the Dockerfile's base images, for a machine that reaches Debian's mirror,
# crates.io and static.rust-lang.org but not Docker Hub (the sandbox Storypoint is built
# in). Anywhere else, skip this: `docker build` pulls the real images.
#
#   sh xtask/local-base-images.sh && cargo xtask test-image
#
# Builds, into podman's local store:
#   docker.io/library/debian:{bookworm,trixie}-slim  minbase Debian from deb.debian.org
#   docker.io/library/rust:1.95-{bookworm,trixie}    the same plus compilers and rustup,
#                                                     laid out as the official rust image
# Any extra CA certificates of this machine (a TLS-intercepting egress proxy) are copied in,
# and NODE_EXTRA_CA_CERTS points Node.js at them.
#
# Needs root and apt-get (installs podman, runc and mmdebstrap when missing).
set -eu

RUST_VERSION=1.95.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v podman >/dev/null || ! command -v mmdebstrap >/dev/null || ! command -v runc >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends podman runc mmdebstrap uidmap
fi

# Rootful podman in a container: crun refuses a cgroup v1/v2 hybrid (runc does not), and
# without CAP_SYS_RESOURCE podman cannot raise the limits of its containers: keep the host's.
if [ ! -e /etc/containers/containers.conf ]; then
    mkdir -p /etc/containers
    cat > /etc/containers/containers.conf <<EOF
[containers]
default_ulimits = []
[engine]
runtime = "runc"
EOF
fi

mkdir -p "$work/ca"
cp /usr/local/share/ca-certificates/*.crt "$work/ca/" 2>/dev/null || true

for suite in bookworm trixie; do
    mmdebstrap --variant=minbase --include=ca-certificates "$suite" "$work/$suite.tar" http://deb.debian.org/debian
    podman import "$work/$suite.tar" "localhost/storypoint-base-$suite:latest"

    cat > "$work/slim.Containerfile" <<EOF
FROM localhost/storypoint-base-$suite:latest
COPY ca/ /usr/local/share/ca-certificates/
RUN printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: $suite $suite-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\nURIs: http://deb.debian.org/debian-security\nSuites: $suite-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > /etc/apt/sources.list.d/debian.sources \
 && rm -f /etc/apt/sources.list && rm -rf /var/lib/apt/lists/* && update-ca-certificates
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["bash"]
EOF
    podman build --network host -f "$work/slim.Containerfile" -t "docker.io/library/debian:$suite-slim" "$work"

    cat > "$work/rust.Containerfile" <<EOF
FROM docker.io/library/debian:$suite-slim
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo RUST_VERSION=$RUST_VERSION \
    PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl wget git gcc g++ libc6-dev make pkg-config libssl-dev xz-utils procps \
 && rm -rf /var/lib/apt/lists/* \
 && curl -sSf -o /tmp/rustup-init https://static.rust-lang.org/rustup/dist/x86_64-unknown-linux-gnu/rustup-init \
 && chmod +x /tmp/rustup-init && /tmp/rustup-init -y --no-modify-path --profile minimal --default-toolchain \$RUST_VERSION \
 && rm /tmp/rustup-init && chmod -R a+w \$RUSTUP_HOME \$CARGO_HOME && rustc --version
EOF
    podman build --network host -f "$work/rust.Containerfile" -t "docker.io/library/rust:1.95-$suite" "$work"
done
podman images
