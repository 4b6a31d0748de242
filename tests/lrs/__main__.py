"""`make lrs`: run the test LRS on loopback so authors can watch statements arrive."""

from __future__ import annotations

import time

from tests.lrs.server import BASIC, Lrs


def main() -> None:
    lrs = Lrs(port=8080).start()
    print(f"LRS running: endpoint {lrs.endpoint}  (credentials: auth={BASIC!r})")
    print(f"Launch a package with ?endpoint={lrs.endpoint}&auth=...&actor=... ; Ctrl+C stops it.")
    try:
        while lrs.process and lrs.process.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        lrs.close()


if __name__ == "__main__":
    main()
