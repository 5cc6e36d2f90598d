# Shortcuts for people who use `just`; each recipe is one documented command. `just` lists them.

# List the recipes
default:
    @just --list

# Install what is missing (pnpm, Redis, Chromium, promtool, dependencies, git hooks)
bootstrap:
    ./scripts/bootstrap.sh

# Write apps/<app>/.env from env.template (the variables each app reads), keeping existing ones
bootstrap-env:
    ./scripts/bootstrap.sh
    pnpm build
    node packages/service-kit/scripts/bootstrap-env.mjs

# Run the whole system with each app's .env, recompiling and restarting apps on every change
up-dev: bootstrap-env
    ENV_FILE=.env pnpm dev

# Run the whole system from its production images with Docker (profile: mocks)
compose-up profile="mocks":
    docker compose -f compose.local.yml --profile {{profile}} up --build --detach

# Stop what compose-up started
down:
    docker compose -f compose.local.yml --profile mocks down

# Format every source file
fmt:
    pnpm exec prettier --write "apps/*/{src,test,bench}/**/*.ts" "packages/*/{src,test,bench}/**/*.ts" "deploy/{src,test}/**/*.ts" "scripts/*.mjs"

# Type-check, lint and format-check every package
lint:
    pnpm typecheck && pnpm lint

# Run every test (unit, integration, end-to-end, fault suite)
test:
    pnpm test

# The backend's tests (all of them: no web page has tests of its own yet)
test-backend:
    pnpm test

# The fault suite alone, with its table
test-chaos:
    pnpm test:chaos

# Run the benchmarks; figures land in bench/results/
bench:
    pnpm bench
