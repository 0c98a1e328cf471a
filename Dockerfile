# NovaPOS server and worker image (one image, two commands). Multi-stage: dependencies are installed in a stage of
# their own so the runtime stage carries no npm cache and no build tools. Node 24 runs the TypeScript sources
# directly (type stripping), so there is no build step. It runs as the unprivileged `node` user (uid 1000).
# Build from the repository root: docker build -t novapos .

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY apps/server/package.json apps/server/
# Production dependencies only; the lockfile decides every version.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim AS runtime
# pg_dump / pg_restore 15 for backups (the server and the worker make them; docs/operations.md).
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client-15 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Everything npm ci made (root and workspace node_modules), then the sources over it (.dockerignore keeps the
# build machine's node_modules out).
COPY --from=deps /app ./
COPY packages/domain ./packages/domain
COPY apps/server ./apps/server
RUN mkdir -p /var/lib/novapos/backups && chown -R node:node /var/lib/novapos
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/novapos \
    BACKUP_DIR=/var/lib/novapos/backups
USER node
EXPOSE 3000
# Liveness without curl in the image: Node's fetch against /health/live.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT ?? 3000}/health/live`).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "apps/server/bin/novapos.js"]
CMD ["serve"]
