#!/usr/bin/env bash
# Install the Debian packages the tests need when they are missing: PostgreSQL server,
# Chromium (driven by Playwright through executable_path), a CJK font, LibreOffice Writer
# (DOCX → PDF for enforcement documents) and poppler-utils (PDF text checks in tests).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || need+=(fonts-wqy-zenhei)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "缺少系统软件包：${need[*]}。请以 root 运行：apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
echo "安装系统软件包：${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
