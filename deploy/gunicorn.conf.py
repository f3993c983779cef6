"""gunicorn settings for Kechuang app servers (stateless; run as many as needed behind nginx)."""

import multiprocessing
import os

bind = os.environ.get("KECHUANG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KECHUANG_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("KECHUANG_THREADS", 2))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30  # SIGTERM: finish in-flight requests before exiting
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("KECHUANG_PROXY_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"
