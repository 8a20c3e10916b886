#!/usr/bin/python3
"""Drives Horizon in headless Chromium as one user, the way a person would: log in, open each panel, fill the forms.

Prints one JSON line per step on stdout: {"step", "url", "errors": [...], "screenshot"}; a step whose action failed
(an element never appeared, a form came back with errors) carries that failure in "errors" and the run goes on, so
the test reports every broken page at once. The names of the objects made are given on the command line so that the
test can look them up afterwards with the CLI.

    drive_horizon.py --url http://127.0.0.1:8080 --user admin --password admin --role admin \
        --artifacts test-artifacts/horizon/admin --prefix hz-admin
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
CHROMEDRIVER = os.environ.get('CHROMEDRIVER', '/usr/bin/chromedriver')
TIMEOUT = int(os.environ.get('HORIZON_WAIT_SECONDS', '30'))

# What the page shows when something failed: Horizon's messages and toasts (alert-danger), a form's non-field and
# field errors, and the Django/Horizon error pages.
ERRORS_JS = r"""
const out = [];
const seen = (el) => el.offsetParent !== null || getComputedStyle(el).position === 'fixed';
for (const el of document.querySelectorAll('.alert-danger, .alert-error')) {
  const text = el.innerText.trim();
  if (text && seen(el)) out.push(text.replace(/\s+/g, ' ').replace(/^×\s*/, ''));
}
for (const el of document.querySelectorAll('.has-error .help-block, .form-group.error .help-block')) {
  const text = el.innerText.trim();
  if (text && seen(el)) out.push('field error: ' + text);
}
const title = document.title || '';
if (/Server error|Page Not Found|Forbidden|Unauthorized/i.test(title)) out.push('error page: ' + title);
const body = document.body ? document.body.innerText : '';
if (/Something went wrong!|An unexpected error occurred/i.test(body)) out.push('error page: ' + body.slice(0, 200));
return out;
"""

# True once the page and its Ajax/Angular requests are done.
IDLE_JS = r"""
if (document.readyState !== 'complete') return false;
if (window.jQuery && jQuery.active > 0) return false;
if (window.angular) {
  try {
    const el = document.querySelector('[ng-app]') || document.body;
    const inj = angular.element(el).injector();
    if (inj && inj.get('$http').pendingRequests.length > 0) return false;
  } catch (e) { /* no injector on this page */ }
}
return !document.querySelector('.modal-backdrop.in ~ .loader, #modal_wrapper .loading');
"""


class StepFailed(Exception):
    pass


class Horizon:
    def __init__(self, url, artifacts):
        self.url = url.rstrip('/')
        self.artifacts = artifacts
        self.profile = tempfile.mkdtemp(prefix='horizon-chromium-')
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                     '--disable-background-networking', '--disable-component-update', '--disable-sync',
                     '--disable-dev-shm-usage', '--window-size=1400,1000', f'--user-data-dir={self.profile}'):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(60)
        self.count = 0

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # --- waiting and finding

    def idle(self, extra=0.3):
        WebDriverWait(self.driver, TIMEOUT).until(lambda d: d.execute_script(IDLE_JS))
        time.sleep(extra)

    def find(self, css, root=None, visible=True):
        def look(d):
            for el in (root or d).find_elements(By.CSS_SELECTOR, css):
                if not visible or el.is_displayed():
                    return el
            return False
        try:
            return WebDriverWait(self.driver, TIMEOUT).until(look)
        except TimeoutException:
            raise StepFailed(f'no visible element {css!r} on {self.driver.current_url}')

    def open(self, path):
        self.driver.get(self.url + path)
        self.idle()

    def modal(self):
        """Waits for the modal form Horizon loads by Ajax (after its spinner) and returns its CSS scope."""
        self.find('.modal.in form')
        self.idle()
        return '.modal.in'

    def open_modal(self, css):
        self.find(css).click()
        return self.modal()

    # Modal fields are looked up afresh for each use: Horizon replaces the modal's DOM (spinner → form, wizard steps).
    def fill(self, scope, field, value):
        el = self.find(f'{scope} #id_{field}')
        el.clear()
        el.send_keys(value)

    def choose(self, scope, field, text=None, value=None):
        """Picks an option of a select: through Horizon's themable dropdown when the select is wrapped in one."""
        select = self.find(f'{scope} #id_{field}', visible=False)
        wrapper = select.find_elements(By.XPATH, './parent::div[contains(@class, "themable-select")]')
        if wrapper:
            wrapper[0].find_element(By.CSS_SELECTOR, '.dropdown-toggle').click()
            options = wrapper[0].find_elements(By.CSS_SELECTOR, '.dropdown-menu a')
            names = [a.get_attribute('textContent').strip() for a in options]
            picked = [a for a, name in zip(options, names)
                      if (a.get_attribute('data-select-value') == value if value is not None else text in name)]
            if not picked:
                raise StepFailed(f'#id_{field} has no option {value or text!r}: {names}')
            picked[0].click()
            return
        options = Select(select)
        if value is not None:
            options.select_by_value(value)
        else:
            names = [o.text for o in options.options]
            match = [n for n in names if text in n]
            if not match:
                raise StepFailed(f'#id_{field} has no option containing {text!r}: {names}')
            options.select_by_visible_text(match[0])

    def tab(self, scope, text):
        for link in self.driver.find_elements(By.CSS_SELECTOR, f'{scope} .nav-pills a, {scope} .nav-tabs a'):
            if link.is_displayed() and link.text.strip() == text:
                link.click()
                self.idle()
                return
        raise StepFailed(f'no tab {text!r}')

    def submit(self, scope, css='.modal-footer .btn-primary[type=submit], .modal-footer input[type=submit]', until=None):
        """Submits a modal form and waits for the page Horizon redirects to (or the form back with its errors)."""
        self.driver.execute_script('window.__beforeSubmit = true')
        buttons = [b for b in self.driver.find_elements(By.CSS_SELECTOR, f'{scope} {css}') if b.is_displayed()]
        if not buttons:
            raise StepFailed(f'no submit button {css!r}')
        buttons[-1].click()

        def settled(d):
            if not d.execute_script('return window.__beforeSubmit === true'):
                return True
            if until and until(d):
                return True
            return bool(d.find_elements(By.CSS_SELECTOR, '.modal.in .has-error, .modal.in .alert-danger'))
        WebDriverWait(self.driver, TIMEOUT).until(settled)
        self.idle()

    def confirm(self):
        """The confirmation modal of a delete/release table action."""
        dialog = self.find('.modal.in .modal-footer .btn-danger, .modal.in .modal-footer .btn-primary')
        self.driver.execute_script('window.__beforeSubmit = true')
        dialog.click()
        WebDriverWait(self.driver, TIMEOUT).until(lambda d: not d.execute_script('return window.__beforeSubmit === true'))
        self.idle()

    def row_action(self, table, row_text, action_text):
        """Opens a row's action menu in `table` and clicks the action named action_text."""
        rows = [r for r in self.driver.find_elements(By.CSS_SELECTOR, f'#{table} tbody tr') if row_text in r.text]
        if not rows:
            raise StepFailed(f'no row with {row_text!r} in #{table}')
        row = rows[0]
        for el in row.find_elements(By.CSS_SELECTOR, '.actions_column a, .actions_column button'):
            if el.is_displayed() and el.text.strip() == action_text:
                el.click()
                return
        toggle = row.find_elements(By.CSS_SELECTOR, '.actions_column .dropdown-toggle')
        if toggle:
            toggle[0].click()
            for el in row.find_elements(By.CSS_SELECTOR, '.actions_column .dropdown-menu a, .actions_column .dropdown-menu button'):
                if el.text.strip() == action_text:
                    el.click()
                    return
        raise StepFailed(f'no action {action_text!r} on the row {row_text!r}')

    # --- reporting

    def record(self, step, failure=None):
        self.count += 1
        shot = os.path.join(self.artifacts, f'{self.count:02d}-{step}.png')
        errors = []
        try:
            self.idle(0.5)
            errors = self.driver.execute_script(ERRORS_JS)
        except WebDriverException as e:
            errors = [f'page never settled: {e.msg}']
        if failure:
            errors.append(failure)
        try:
            self.driver.save_screenshot(shot)
        except WebDriverException:
            shot = None
        print(json.dumps({'step': step, 'url': self.driver.current_url, 'errors': errors, 'screenshot': shot}),
              flush=True)

    def step(self, name, action):
        failure = None
        try:
            action()
        except (StepFailed, WebDriverException) as e:
            failure = f'{type(e).__name__}: {getattr(e, "msg", None) or e}'
        except Exception:
            failure = traceback.format_exc(limit=3)
        self.record(name, failure)


def login(h, user, password):
    h.open('/auth/login/')
    h.fill('form', 'username', user)
    h.fill('form', 'password', password)
    h.find('#loginBtn').click()
    WebDriverWait(h.driver, TIMEOUT).until(lambda d: '/auth/login' not in d.current_url)
    h.idle()
    # DEFAULT_PANEL puts Project > Network > Networks at the dashboard's root, /project/.
    h.find('#networks')
    if not h.driver.current_url.endswith('/project/'):
        raise StepFailed(f'landed on {h.driver.current_url}, not on Project > Networks (DEFAULT_PANEL)')


def project_panels(h, p, external):
    """Project > Network: networks with a subnet, topology, routers, security groups, floating IPs."""
    net, subnet, router, group = f'{p}-net', f'{p}-subnet', f'{p}-router', f'{p}-sg'
    net2, subnet2 = f'{p}-net2', f'{p}-subnet2'

    def create_network(name, subnet_name, cidr):
        def act():
            h.open('/project/')
            m = h.open_modal('#networks__action_create')
            h.fill(m, 'net_name', name)
            h.find(f'{m} .button-next').click()
            h.fill(m, 'subnet_name', subnet_name)
            h.fill(m, 'cidr', cidr)
            h.find(f'{m} .button-next').click()
            h.fill(m, 'dns_nameservers', '10.0.0.53')
            h.submit(m, '.modal-footer .button-final')
            h.find('#networks tbody tr a[href*="/detail"]')
            if name not in h.find('#networks').text:
                raise StepFailed(f'network {name} not listed after create')
        return act

    h.step('project-networks-create', create_network(net, subnet, '10.81.0.0/24'))
    h.step('project-networks-create-second', create_network(net2, subnet2, '10.82.0.0/24'))

    def network_detail():
        h.open('/project/')
        h.find('#networks tbody tr a[href*="/detail"]')
        links = [a for a in h.driver.find_elements(By.CSS_SELECTOR, '#networks tbody td a') if a.text == net]
        if not links:
            raise StepFailed(f'no link to {net}')
        links[0].click()
        h.idle()
        h.find('.detail, .detail-page, dl')
    h.step('project-network-detail', network_detail)

    def create_router():
        h.open('/project/routers/')
        m = h.open_modal('#routers__action_create')
        h.fill(m, 'name', router)
        h.submit(m)
        if router not in h.find('#routers').text:
            raise StepFailed(f'router {router} not listed after create')
    h.step('project-routers-create', create_router)

    def set_gateway():
        h.open('/project/routers/')
        h.row_action('routers', router, 'Set Gateway')
        m = h.modal()
        h.choose(m, 'network_id', text=external)
        h.submit(m)
    h.step('project-routers-set-gateway', set_gateway)

    def add_interface(subnet_name):
        def act():
            h.open('/project/routers/')
            links = [a for a in h.driver.find_elements(By.CSS_SELECTOR, '#routers tbody td a') if a.text == router]
            if not links:
                raise StepFailed(f'no link to {router}')
            links[0].click()
            h.idle()
            h.tab('body', 'Interfaces')
            m = h.open_modal('#interfaces__action_create')
            h.choose(m, 'subnet_id', text=f'({subnet_name})')
            h.submit(m)
        return act
    h.step('project-routers-add-interface', add_interface(subnet))
    h.step('project-routers-add-interface-second', add_interface(subnet2))

    def topology():
        h.open('/project/network_topology/')
        # The graph is drawn from Ajax JSON: wait for the router and network nodes.
        h.find('#topology_canvas g.network')
        h.find('#topology_canvas g.device')
        h.find('#topology_canvas g.port')
        # The "Normal" size shows the names and addresses (the README's screenshot).
        h.find('.toggle-view label[data-value="normal"]').click()
        h.find('#topology_canvas g.port text, #topology_canvas g.port')
        h.idle(1.0)
    h.step('project-network-topology', topology)

    def create_group():
        h.open('/project/security_groups/')
        m = h.open_modal('#security_groups__action_create')
        h.fill(m, 'name', group)
        h.fill(m, 'description', 'made by Horizon')
        h.submit(m)
        # Horizon goes on to the new group's rules page.
        h.find('#rules')
    h.step('project-security-groups-create', create_group)

    def add_rule():
        m = h.open_modal('#rules__action_add_rule')
        h.choose(m, 'rule_menu', value='tcp')
        h.fill(m, 'port', '8080')
        h.submit(m)
        if '8080' not in h.find('#rules').text:
            raise StepFailed('the new rule (port 8080) is not listed')
    h.step('project-security-groups-add-rule', add_rule)

    def allocate():
        h.open('/project/floating_ips/')
        m = h.open_modal('#floating_ips__action_allocate')
        h.choose(m, 'pool', text=external)
        h.fill(m, 'description', f'{p}-fip')
        h.submit(m)
        h.find('#floating_ips tbody tr td')
        if f'{p}-fip' not in h.find('#floating_ips').text:
            raise StepFailed('the allocated floating IP is not listed')
    h.step('project-floating-ips-allocate', allocate)

    def release():
        h.row_action('floating_ips', f'{p}-fip', 'Release Floating IP')
        h.confirm()
        if f'{p}-fip' in h.find('#floating_ips').text:
            raise StepFailed('the released floating IP is still listed')
    h.step('project-floating-ips-release', release)


def admin_panels(h):
    for name, path, table in (('admin-networks', '/admin/', '#networks'),
                              ('admin-routers', '/admin/routers/', '#routers'),
                              ('admin-floating-ips', '/admin/floating_ips/', '#floating_ips')):
        h.step(name, lambda path=path, table=table: (h.open(path), h.find(table)))

    def agents():
        h.open('/admin/info/')
        h.tab('body', 'Network Agents')
        h.find('#network_agents tbody tr')
    h.step('admin-system-information-network-agents', agents)


def identity_panels(h, p, member):
    project = f'{p}-project'

    def create_project():
        h.open('/identity/')
        m = h.open_modal('#tenants__action_create')
        h.fill(m, 'name', project)
        h.fill(m, 'description', 'made by Horizon')
        h.submit(m)
        if project not in h.find('#tenants').text:
            raise StepFailed(f'project {project} not listed after create')
    h.step('identity-projects-create', create_project)

    def manage_members():
        h.open('/identity/')
        h.row_action('tenants', project, 'Manage Members')
        m = h.modal()
        h.find(f'{m} .available_update_members, {m} .available_members')
        users = [u for u in h.driver.find_elements(By.CSS_SELECTOR, f'{m} .available_members .btn-group')
                 if member in u.text]
        if not users:
            raise StepFailed(f'{member} is not offered as a member')
        users[0].find_element(By.CSS_SELECTOR, "a[href='#add_remove']").click()
        if not [u for u in h.driver.find_elements(By.CSS_SELECTOR, f'{m} .update_members_members .btn-group') if member in u.text]:
            raise StepFailed(f'{member} did not move to the project members')
        h.submit(m)
    h.step('identity-projects-manage-members', manage_members)

    for name, path, table in (('identity-users', '/identity/users/', '#users'),
                              ('identity-roles', '/identity/roles/', 'hz-resource-table table tbody tr')):
        h.step(name, lambda path=path, table=table: (h.open(path), h.find(table)))

    def create_group():
        h.open('/identity/groups/')
        m = h.open_modal('#groups__action_create')
        h.fill(m, 'name', f'{p}-group')
        h.fill(m, 'description', 'made by Horizon')
        h.submit(m)
        if f'{p}-group' not in h.find('#groups').text:
            raise StepFailed('the group is not listed after create')
    h.step('identity-groups-create', create_group)


def application_credentials(h, p):
    def create():
        h.open('/identity/application_credentials/')
        m = h.open_modal('#application_credentials__action_create')
        h.fill(m, 'name', f'{p}-appcred')
        h.fill(m, 'description', 'made by Horizon')
        # Horizon shows the secret once, in a second modal, then the list.
        h.submit(m, until=lambda d: 'Your application credential' in d.find_element(By.TAG_NAME, 'body').text)
        done = h.find('.modal.in .modal-footer .btn, .modal.in .modal-footer a')
        if 'secret' not in h.find('.modal.in').text.lower():
            raise StepFailed('no secret shown after create')
        closes = [b for b in h.driver.find_elements(By.CSS_SELECTOR, '.modal.in .modal-footer a, .modal.in .modal-footer .btn')
                  if b.text.strip() == 'Close']
        (closes[0] if closes else done).click()
        h.open('/identity/application_credentials/')
        if f'{p}-appcred' not in h.find('#application_credentials').text:
            raise StepFailed('the application credential is not listed after create')
    h.step('identity-application-credentials-create', create)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--url', required=True)
    parser.add_argument('--user', required=True)
    parser.add_argument('--password', required=True)
    parser.add_argument('--role', choices=('admin', 'member'), required=True)
    parser.add_argument('--prefix', required=True, help='name prefix of the objects this run makes')
    parser.add_argument('--external', default='public', help='the external network (routers, floating IPs)')
    parser.add_argument('--member', default='', help='admin: the user to add to the new project')
    parser.add_argument('--artifacts', required=True)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)

    h = Horizon(args.url, args.artifacts)
    try:
        h.step('login', lambda: login(h, args.user, args.password))
        project_panels(h, args.prefix, args.external)
        if args.role == 'admin':
            admin_panels(h)
            identity_panels(h, args.prefix, args.member)
        else:
            h.step('identity-projects', lambda: (h.open('/identity/'), h.find('#tenants')))
        application_credentials(h, args.prefix)
    finally:
        h.close()


if __name__ == '__main__':
    sys.exit(main())
