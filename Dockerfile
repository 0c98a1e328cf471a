# NovaPOS server and worker image (one image, two commands). Multi-stage: the web apps are built in a stage of
# their own (Vite, dev dependencies), production dependencies are installed in another, so the runtime stage
# carries no npm cache, no build tools and no dev dependencies. Node 24 runs the server's TypeScript sources
# directly (type stripping). It runs as the unprivileged `node` user (uid 1000).
# Build from the repository root: docker build -t novapos .

# Every workspace's package.json: npm ci needs them all to match the lockfile.
FROM node:24-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/api-client/package.json packages/api-client/
COPY apps/server/package.json apps/server/
COPY apps/pos/package.json apps/pos/
COPY apps/admin/package.json apps/admin/

# The till (/pos/) and the back office (/admin/), built once; the server serves their dist folders.
FROM manifests AS web
RUN npm ci --no-audit --no-fund
COPY packages ./packages
COPY apps/pos ./apps/pos
COPY apps/admin ./apps/admin
RUN npm run build --workspace apps/pos --workspace apps/admin

FROM manifests AS deps
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
COPY --from=web /app/apps/pos/dist ./apps/pos/dist
COPY --from=web /app/apps/admin/dist ./apps/admin/dist
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
# 8 MB young-generation semi-spaces, as `npm start` runs it (docs/performance.md, "Memory").
ENTRYPOINT ["node", "--max-semi-space-size=8", "apps/server/bin/novapos.js"]
CMD ["serve"]
