"""The hub's log lines in Chinese: uvicorn's own messages translated, English level names gone.

uvicorn logs fixed English sentences ("Uvicorn running on ...", "Application startup
complete."). A logging filter swaps the ones a center's operator sees for Chinese templates
(keeping their arguments); anything unknown passes unchanged. The access line stays data:
address, request line and status.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_TEMPLATES = {
    "Started server process [%d]": "中心进程 [%d] 已启动",
    "Finished server process [%d]": "中心进程 [%d] 已结束",
    "Waiting for application startup.": "正在启动…",
    "Application startup complete.": "启动完成",
    "Application startup failed. Exiting.": "启动失败，退出",
    "Waiting for application shutdown.": "正在关闭…",
    "Application shutdown complete.": "已关闭",
    "Application shutdown failed. Exiting.": "关闭失败，退出",
    "Shutting down": "正在停止",
    "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)": (
        "中心在 %s://%s:%d 上运行（按 Ctrl+C 停止）"
    ),
    "Uvicorn running on %s://[%s]:%d (Press CTRL+C to quit)": (
        "中心在 %s://[%s]:%d 上运行（按 Ctrl+C 停止）"
    ),
    "Exceeded concurrency limit.": "同时处理的连接或请求已达上限，多出的请求已回答 503",
    "Waiting for connections to close. (CTRL+C to force quit)": (
        "等待连接关闭…（按 Ctrl+C 强制停止）"
    ),
    "Waiting for background tasks to complete. (CTRL+C to force quit)": (
        "等待后台任务完成…（按 Ctrl+C 强制停止）"
    ),
}

# Messages uvicorn formats itself (the process id is already in the text).
_PATTERNS = [
    (re.compile(r"^Started parent process \[(\d+)\]$"), r"主进程 [\1] 已启动"),
    (re.compile(r"^Stopping parent process \[(\d+)\]$"), r"主进程 [\1] 正在停止"),
    (re.compile(r"^Waiting for child process \[(\d+)\]$"), r"等待工作进程 [\1]"),
    (re.compile(r"^Terminated child process \[(\d+)\]$"), r"工作进程 [\1] 已终止"),
    (re.compile(r"^Child process \[(\d+)\] died$"), r"工作进程 [\1] 意外退出"),
    (
        re.compile(r"^\[Errno \d+\] error while attempting to bind on address \((.*)\): (.*)$"),
        r"无法监听 \1（\2）",
    ),
]

_LEVELS = {logging.WARNING: "警告：", logging.ERROR: "错误：", logging.CRITICAL: "严重错误："}


class ChineseLog(logging.Filter):
    """Rewrites a record's message in Chinese and names its level in Chinese."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.level_zh = _LEVELS.get(record.levelno, "")
        if isinstance(record.msg, str):
            template = _TEMPLATES.get(record.msg)
            if template is not None:
                record.msg = template
            elif not record.args:
                for pattern, replacement in _PATTERNS:
                    if pattern.match(record.msg):
                        record.msg = pattern.sub(replacement, record.msg)
                        break
        record.__dict__.pop("color_message", None)  # uvicorn's coloured English copy
        return True


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"chinese": {"()": ChineseLog}},
    "formatters": {
        "default": {"format": "%(level_zh)s%(message)s"},
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": '%(client_addr)s "%(request_line)s" %(status_code)s',
            "use_colors": False,
        },
    },
    "handlers": {
        "default": {
            "formatter": "default",
            "filters": ["chinese"],
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
        },
        "access": {
            "formatter": "access",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
