# The gateway as one small image: Node 20 on Debian slim, production dependencies only, run as the
# unprivileged `node` user. SQLite (the default) keeps its file in /app/data (a volume); set
# DATABASE_URL=postgres://… to share one database between several containers (deploy/docker-compose.yml).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# sqlite3, jieba and argon2 ship prebuilt binaries for this platform; nothing is compiled here.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY adapters ./adapters
COPY config ./config
COPY console ./console
COPY contracts ./contracts
COPY gateway ./gateway
COPY nlp ./nlp
COPY storage ./storage
COPY tsconfig.json ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# Healthy when /healthz answers 200 (the database and every started channel are up).
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) finishes the batches in hand and hands back claims before exit.
STOPSIGNAL SIGTERM
CMD ["node", "gateway/bin.js", "start"]
