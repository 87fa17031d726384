"""How the browser tests (and benchmarks/dashboard.py) start Debian's Chromium headless."""

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-sync",
]  # fmt: skip
