"""gunicorn configuration of one zhifa web process (stateless; run as many as needed).

    gunicorn -c deploy/gunicorn.conf.py zhifa.wsgi:application

Read from the environment (deploy/zhifa.env.example):
  ZHIFA_BIND             address to listen on (default 127.0.0.1:8000; one port per process)
  ZHIFA_WEB_WORKERS      worker processes (default 2 × cores + 1, at most 8)
  ZHIFA_WEB_THREADS      threads per worker (default 4: downloads and uploads stream, a thread
                         waits on the network, not the CPU)
  ZHIFA_WEB_TIMEOUT      seconds before a stuck request's worker is restarted (default 120:
                         a 4 MiB upload chunk on a slow mobile network)
  ZHIFA_TRUSTED_PROXY_COUNT>0 makes gunicorn trust X-Forwarded-* from the proxy's address
                         (ZHIFA_FORWARDED_ALLOW_IPS, default 127.0.0.1)
"""

import multiprocessing
import os

bind = os.environ.get("ZHIFA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ZHIFA_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "gthread"
threads = int(os.environ.get("ZHIFA_WEB_THREADS", "4"))
timeout = int(os.environ.get("ZHIFA_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# recycle workers now and then so that a slow leak in a library never grows without bound
max_requests = 2000
max_requests_jitter = 200
# request sizes: uploads come in chunks (docs/deployment.md), the rest is small
limit_request_line = 8190
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("ZHIFA_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# no client address or query string beyond what the proxy logs already (personal data in URLs)
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "zhifa-web"
# load the application in each worker (not in the master): database connections and the
# object store's clients are never shared across a fork. Each worker's import of zhifa.wsgi ends
# with core.runtime.settle_web_process(): the URL patterns and views loaded, then gc.freeze() takes
# the ~250,000 objects alive then out of the collector's full rounds (fewer slow requests).
preload_app = False
