# Shortcuts for people who use `just`; each recipe is one documented command.

# Install what is missing (pnpm, Redis, dependencies)
bootstrap:
    ./scripts/bootstrap.sh

# Set up and run the whole system on its defaults
dev:
    ./scripts/dev.sh

# Run every test (unit, integration, end-to-end)
test:
    pnpm test

# Type-check, lint and format-check every package
check:
    pnpm typecheck && pnpm lint

# Run the benchmarks; figures land in bench/results/
bench:
    pnpm bench
