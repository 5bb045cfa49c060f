"""Print the demo accounts as a table: role, username, password, where to log in."""
import unicodedata

from django.core.management.base import BaseCommand

from apps.portal.demo.data import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Print the demo logins (seed_demo creates them)."

    def handle(self, *args, **options):
        from apps.identity.models import User

        existing = set(User.objects.filter(username__in=list(ACCOUNTS)).values_list("username", flat=True))
        rows = [("角色", "用户名", "密码", "登录地址")]
        rows += [(label, username, DEMO_PASSWORD, url)
                 for username, (label, _k, _o, _r, _s, url) in ACCOUNTS.items() if username in existing]
        if len(rows) == 1:
            self.stdout.write("尚无演示账号：请先运行 manage.py seed_demo。")
            return
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
        self.stdout.write(line)
        for index, row in enumerate(rows):
            self.stdout.write("| " + " | ".join(_pad(cell, w) for cell, w in zip(row, widths)) + " |")
            if index == 0:
                self.stdout.write(line)
        self.stdout.write(line)
        self.stdout.write("管理后台：http://127.0.0.1:8000/admin/（省级系统管理员）  接口文档：http://127.0.0.1:8000/api/docs/")
        self.stdout.write(f"province_admin 登录时需输入动态口令：把密钥 {DEMO_TOTP_SECRET} 添加到身份验证器，"
                          "或运行 .venv/bin/python manage.py demo_totp_code 查看当前口令。")
