"""Screenshots of the web UI at desktop and phone width, for review.

Starts nothing itself: point it at a running server and an account, e.g.

    ZHENWU_MODE=demo .venv/bin/zhenwu runserver 127.0.0.1:8011   # in another shell
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8011 \\
        --username township --password '...'

Writes ``<out>/<width>-<page>.png`` (default ``var/screenshots/``) and prints any console
error or request to a host other than the server's, page by page. Uses Debian's Chromium
(``/usr/bin/chromium``); it never downloads a browser.
"""

import argparse
import sys
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import sync_playwright

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--query", default="zsf", help="search term that finds a household")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument(
        "--language", default="zh-hans", help="UI language (zh-hans or en), set as the cookie"
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--max-height", type=int, default=2600, help="cut long pages to this many pixels"
    )
    parser.add_argument(
        "--lockout",
        action="store_true",
        help="also capture the lockout page (fails 5 logins of a made-up username)",
    )
    return parser.parse_args(argv)


class Shooter:
    def __init__(self, browser, args, name, size):
        self.args = args
        self.name = name if args.language == "zh-hans" else f"{args.language}-{name}"
        self.base = args.base_url.rstrip("/")
        self.host = urlparse(self.base).hostname
        self.context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, locale="zh-CN"
        )
        # The UI follows the language cookie (the footer switch), not the browser.
        self.context.add_cookies(
            [{"name": "django_language", "value": args.language, "url": self.base}]
        )
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("request", self._on_request)
        self.out = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)

    def _on_console(self, message):
        # The status of a page opened on purpose (404, 403, lockout) is not a problem;
        # a failing stylesheet, script or image is.
        document = message.location.get("url") == self.page.url
        if message.type == "error" and not (document and "Failed to load resource" in message.text):
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _on_request(self, request):
        host = urlparse(request.url).hostname
        if host not in (self.host, None) and not request.url.startswith("data:"):
            self.problems.append(f"outside request: {request.url}")

    def shot(self, label: str, path: str | None = None) -> None:
        if path is not None:
            self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        target = self.out / f"{self.name}-{label}.png"
        height = self.page.evaluate("document.documentElement.scrollHeight")
        width = self.page.viewport_size["width"]
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, self.args.max_height)}
        self.page.screenshot(path=str(target), full_page=True, clip=clip)
        print(f"{target}  ({self.page.url})")

    def link(self, selector: str) -> str | None:
        element = self.page.query_selector(selector)
        return element.get_attribute("href") if element else None

    def login(self) -> None:
        self.shot("login", "/accounts/login/")
        self.page.fill("input[name=username]", self.args.username)
        self.page.fill("input[name=password]", self.args.password)
        self.page.click("button[type=submit].btn-primary")
        self.page.wait_for_load_state("networkidle")

    def run(self) -> None:
        self.login()
        self.shot("households", "/registry/households/")
        if self.name == "phone" and self.page.query_selector("label.nav-toggle-label"):
            self.page.click("label.nav-toggle-label")
            self.shot("nav-open")
        self.page.fill("input[name=q]", self.args.query)
        self.page.wait_for_timeout(900)  # live search delay + response
        self.shot("search")
        self._household_pages()
        self._import_pages()
        self._account_pages()
        self.shot("audit-log", "/audit/")
        self.shot("not-found", "/registry/households/00000000-0000-0000-0000-000000000000/")
        self.context.close()

    def _household_pages(self) -> None:
        detail = self.link("#results tbody a")
        self.shot("household-create", "/registry/households/new/")
        if not detail:
            print(f"no household found for {self.args.query!r}", file=sys.stderr)
            return
        self.shot("household-detail", detail)
        for label, selector in [
            ("household-edit", "a[href$='/edit/'][href*='/households/']"),
            ("person-add", "a[href$='/members/new/']"),
            ("income", "a[href$='/income/']"),
            ("expense", "a[href$='/expenses/new/']"),
        ]:
            href = self.link(selector)
            if href:
                self.shot(label, href)
                self.page.goto(self.base + detail)
        person = self.link("table.members tbody td a")
        reveal = self.link("a[href$='/reveal/']")
        edit = self.link("a[href$='/edit/'][href*='/persons/']")
        if person:
            self.shot("person-detail", person)
        if edit:
            self.shot("person-edit", edit)
        if reveal:
            self.shot("reveal", reveal)

    def _import_pages(self) -> None:
        self.shot("import-upload", "/registry/import/")
        self.shot("export", "/registry/export/")

    def _account_pages(self) -> None:
        self.shot("profile", "/accounts/me/")
        self.shot("password-change", "/accounts/password/")
        self.shot("users", "/accounts/users/")
        user = self.link("table tbody td a[href*='/accounts/users/']")
        if user:
            self.shot("user-detail", user)
        self.shot("user-create", "/accounts/users/new/")

    def lockout(self) -> None:
        self.page.context.clear_cookies()
        for _ in range(5):
            self.page.goto(self.base + "/accounts/login/")
            self.page.fill("input[name=username]", "screenshot-lockout-demo")
            self.page.fill("input[name=password]", "not-the-password")
            self.page.click("button[type=submit].btn-primary")
        self.shot("locked")


def main(argv=None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for name, size in VIEWPORTS.items():
            shooter = Shooter(browser, args, name, size)
            shooter.run()
            problems += shooter.problems
        if args.lockout:
            shooter = Shooter(browser, args, "phone", VIEWPORTS["phone"])
            shooter.lockout()
            problems += shooter.problems
        browser.close()
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
