"""Start the app with its warm-up: ``python -m ui.serve [streamlit options]``.

The same as ``streamlit run app.py [options]``, except that :mod:`ui.warmup` starts at once, in the
server's process, so imports, the database and the model are ready before the first visitor (see
``ui/warmup.py``). ``scripts/start.sh``, ``deploy/replicas.py`` and the benches start the app this way.
"""

import sys
from pathlib import Path

from ui import warmup

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    warmup.start()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
