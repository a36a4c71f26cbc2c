#!/usr/bin/env bash
# Makes the certificates of Orleans TLS (docs/operations/security.md) with openssl: a CA of the cluster and one member
# certificate it issued, which every silo and every client (API, other .NET service) of the cluster presents.
#   deploy/make-certs.sh [DIR]      DIR defaults to deploy/certs (what docker-compose.yml mounts; git-ignored)
# Writes DIR/ca.key (keep it off the servers: it issues certificates the cluster trusts), DIR/ca.crt (Orleans:Tls:CaPath),
# DIR/member.crt (Orleans:Tls:CertificatePath) and DIR/member.key (Orleans:Tls:KeyPath). Files that exist are kept, so
# running it again changes nothing; delete member.* to issue a new member certificate from the same CA.
# CERTS_OWNER=UID[:GID] (as root) gives member.key to the user the processes run as: the containers of
# docker-compose.yml run as 1654 ($APP_UID of the .NET images), so: sudo CERTS_OWNER=1654 deploy/make-certs.sh
# Environment: CERTS_CA_DAYS (3650), CERTS_MEMBER_DAYS (825), CERTS_MEMBER_NAME (inmemorydb-member).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/deploy/certs}
CA_DAYS=${CERTS_CA_DAYS:-3650}
MEMBER_DAYS=${CERTS_MEMBER_DAYS:-825}
MEMBER_NAME=${CERTS_MEMBER_NAME:-inmemorydb-member}

log() { echo "make-certs: $*" >&2; }
if ! command -v openssl >/dev/null; then
  log "installing openssl with apt-get"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssl >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null 2>&1; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openssl >/dev/null; }
fi

mkdir -p "$DIR"
umask 077
if [ ! -s "$DIR/ca.key" ] || [ ! -s "$DIR/ca.crt" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/ca.key"
  openssl req -x509 -new -key "$DIR/ca.key" -sha256 -days "$CA_DAYS" -subj "/CN=InMemoryDb cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" -out "$DIR/ca.crt"
  rm -f "$DIR/member.crt" "$DIR/member.key"
  log "created the CA $DIR/ca.crt (key $DIR/ca.key)"
fi
if [ ! -s "$DIR/member.key" ] || [ ! -s "$DIR/member.crt" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DIR/member.key"
  # Every member is a TLS server (inbound connections) and a TLS client (outbound ones). Members are reached by IP
  # address and checked against the CA only, so the names are informative.
  openssl req -new -key "$DIR/member.key" -subj "/CN=$MEMBER_NAME" -out "$DIR/member.csr"
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$MEMBER_NAME,DNS:localhost,IP:127.0.0.1" \
    "authorityKeyIdentifier=keyid" "subjectKeyIdentifier=hash" > "$DIR/member.ext"
  openssl x509 -req -in "$DIR/member.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial -sha256 \
    -days "$MEMBER_DAYS" -extfile "$DIR/member.ext" -out "$DIR/member.crt"
  rm -f "$DIR/member.csr" "$DIR/member.ext" "$DIR/ca.srl"
  log "issued the member certificate $DIR/member.crt (key $DIR/member.key), valid $MEMBER_DAYS days"
fi
chmod 644 "$DIR/ca.crt" "$DIR/member.crt"
chmod 600 "$DIR/ca.key" "$DIR/member.key"
chmod 755 "$DIR"
if [ -n "${CERTS_OWNER:-}" ]; then
  chown "$CERTS_OWNER" "$DIR/member.key"
  log "member.key belongs to $CERTS_OWNER"
fi
openssl verify -CAfile "$DIR/ca.crt" "$DIR/member.crt" >/dev/null
