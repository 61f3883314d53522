# The owner web app (web/ → web/dist) is built with Vite, a dev dependency, in a stage of its own: only the built
# files reach the image, which the API serves at /app.
FROM node:20-slim AS web
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web ./web
RUN node --import tsx web/build.ts

# LuxLeads API and worker image (one image, two commands). TypeScript runs through tsx, which is a runtime
# dependency, so `npm ci --omit=dev` keeps everything both processes need.
FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY tsconfig.json ./
COPY ai ./ai
COPY activities ./activities
COPY api ./api
COPY config ./config
COPY db ./db
COPY domain ./domain
COPY integrations ./integrations
COPY lib ./lib
COPY sandbox ./sandbox
COPY scripts ./scripts
COPY starters ./starters
COPY temporal ./temporal
COPY widget ./widget
COPY worker ./worker
COPY workflows ./workflows
COPY --from=web /build/web/dist ./web/dist

# The workflow bundle is built once here; workers load it (WORKER_WORKFLOW_BUNDLE) instead of running webpack at
# start: faster start-up, ~100 MB less RSS per worker.
RUN node --import tsx scripts/build-workflow-bundle.ts /app/dist/workflow-bundle.js

USER node
EXPOSE 3000 9464
# The API by default; the worker service runs `node --import tsx worker/main.ts`.
CMD ["node", "--import", "tsx", "api/main.ts"]
