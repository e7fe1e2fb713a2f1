"""`newswire serve`: run the deployments of prefect.yaml on their schedules, in this process.

Schedules need a Prefect server with its scheduler service: the configured one
(PREFECT_API_URL), else a local `prefect server start` this command starts and stops
(flows/prefect_server.py), with its UI on the same address.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flows.exit_codes import ExitCode
from flows.prefect_server import LocalPrefectServer, prefect_api
from flows.settings import Settings, apply_prefect_environment, check_spacy_model, load_feeds


def serve(settings: Settings, prefect_file: Path) -> int:
    feeds = load_feeds(settings)
    check_spacy_model(settings.spacy_model)
    from flows.deployments import read_prefect_yaml

    spec = read_prefect_yaml(prefect_file)
    prefect_home = apply_prefect_environment(settings)
    # Scheduled runs take no paths: their flows resolve settings from the environment, which
    # carries what this command's flags said.
    warehouse = settings.warehouse.resolved()
    if warehouse.lake_data is not None:
        os.environ["NEWSWIRE_LAKE_DATA"] = warehouse.lake_data
    os.environ.update({"NEWSWIRE_DB": warehouse.spec,
                       "NEWSWIRE_FEEDS": str(settings.feeds_path.resolve()),
                       "NEWSWIRE_DATA_DIR": str(settings.data_dir.resolve())})
    api = prefect_api(prefect_home, scheduler=True, ui=True)
    from flows.deployments import build_deployments, ensure_writer_limit, serve_deployments
    from flows.prefect_server import uses_shared_server

    deployments = build_deployments(spec, feeds)
    api.wait()
    if isinstance(api, LocalPrefectServer):
        print(f"newswire: no Prefect server configured (PREFECT_API_URL): started one at "
              f"{api.url.removesuffix('/api')} (UI and API; database under "
              f"{prefect_home}; log {api.log_path}); it stops with this command",
              file=sys.stderr)
    else:
        print(f"newswire: using the Prefect server at {api.url}", file=sys.stderr)
    if uses_shared_server():
        ensure_writer_limit()
    names = ", ".join(d.name for d in deployments)
    print(f"newswire: serving the deployments of {prefect_file} ({names}); Ctrl-C stops",
          file=sys.stderr)
    serve_deployments(deployments)
    return ExitCode.OK
