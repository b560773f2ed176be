"""Redraw the README's screenshots with the app's own save_screenshot, on demo data.

Run from the repository root: `python docs/screenshots.py`. Deterministic: seed 832, 2024-06-30.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path

from specialist_tui.app import create_app
from specialist_tui.client.config import Settings
from specialist_tui.client.service import Service
from specialist_tui.commands.client.demo import write_demo

DOCS = Path(__file__).resolve().parent
TODAY = date(2024, 6, 30)


async def shoot(settings: Settings) -> None:
    app = create_app(settings)
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(100):  # until the list has arrived
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if not app.units_screen.busy:
                break
        app.save_screenshot("units-screen.svg", str(DOCS))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        app.save_screenshot("unit-screen.svg", str(DOCS))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(cache_dir=Path(folder), today=TODAY)
        service = Service(settings)
        write_demo(service, 500, TODAY)
        service.close()
        asyncio.run(shoot(settings))
    print(f"wrote {DOCS / 'units-screen.svg'} and {DOCS / 'unit-screen.svg'}")


if __name__ == "__main__":
    main()
