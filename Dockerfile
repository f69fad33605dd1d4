# prismgate container image: production dependencies only, run as a non-root user on a distroless base.
# Build: docker build -t prismgate:latest .   (scripts/kind-up.sh does this and loads it into kind)
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY webhook ./webhook
COPY aggregated-api ./aggregated-api
COPY pkg ./pkg
COPY server ./server
COPY features ./features
COPY certs ./certs
COPY manifests ./manifests
USER 65532:65532
EXPOSE 8443 9443
# tsx compiles the TypeScript sources on load (cached under /tmp, an emptyDir in the Deployment).
ENTRYPOINT ["/nodejs/bin/node", "--import", "tsx", "src/main.ts"]
