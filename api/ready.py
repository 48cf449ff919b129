"""Wait until every process answers, then print the addresses to open: python -m api.ready."""

import os
import signal
import sys
import time

import httpx


def wait_until_ready(base_url: str, deadline_seconds: float) -> dict | None:
    """Poll /health until everything is up; return the last report, or None if never reached."""
    deadline = time.monotonic() + deadline_seconds
    report = None
    while time.monotonic() < deadline:
        try:
            report = httpx.get(f"{base_url}/health", timeout=3).json()
            if report.get("status") == "ok":
                return report
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    return report


def main() -> None:
    """Print the addresses once ready, then stay up so honcho keeps the other processes running."""
    port = os.environ.get("API_PORT", "8000")
    base_url = f"http://127.0.0.1:{port}"
    report = wait_until_ready(base_url, deadline_seconds=float(os.environ.get("READY_TIMEOUT", "300")))
    if report and report.get("status") == "ok":
        print(
            f"Careline is ready.\n  web chat:      {base_url}/\n  staff pages:   {base_url}/staff/login"
            " (demo accounts sam, kai, mo, ada, root; password careline-demo-only)"
            f"\n  staff outbox:  {base_url}/outbox"
            f" (pages to the duty worker, while no Twilio account is set)\n  API docs:      {base_url}/docs",
            flush=True,
        )
    else:
        print(f"Careline is not fully up yet; health says: {report}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
