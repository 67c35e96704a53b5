/** The test user agent (test/support/user-agent.ts), exercised against the sandbox's pages. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeHtml, UserAgent } from '../support/user-agent.ts';
import { atApp, ids, startTestSandbox } from './helpers.ts';

const { url: base } = await startTestSandbox();
const localhostBase = base.replace('127.0.0.1', 'localhost');

describe('UserAgent', () => {
  test('follows redirects and records them', async () => {
    const ua = new UserAgent();
    const page = await ua.get(`${base}/oauth/authorize?response_type=code&client_id=full-app`);
    assert.equal(page.status, 200);
    assert.match(page.url, /\/oauth\/school-picker\?target=/);
    assert.deepEqual(page.redirects, [`${base}/oauth/authorize?response_type=code&client_id=full-app`]);
  });

  test('stopAt returns the redirect target unrequested, with the redirect status', async () => {
    const ua = new UserAgent();
    const login = await ua.get(`${base}/in/springfield`);
    const portal = await ua.submit(login, { form: 'login-form', fields: { username: 'bart', password: 'pw-bart' } });
    const stopped = await ua.submit(portal, { form: '/in/springfield/launch', stopAt: atApp });
    assert.equal(stopped.stopped, true);
    assert.equal(stopped.status, 302);
    assert.equal(stopped.body, '');
    assert.match(stopped.url, /^http:\/\/localhost:9\/primary\?code=/);
    assert.deepEqual(stopped.redirects, [`${base}/in/springfield/launch`]);
  });

  test('keeps cookies per host: 127.0.0.1 and localhost are different browsers-worth of state', async () => {
    const ua = new UserAgent();
    const login = await ua.get(`${base}/in/springfield`);
    await ua.submit(login, { fields: { username: 'bart', password: 'pw-bart' } });
    assert.ok(ua.cookie(base, 'clever_sandbox_session'));
    assert.equal(ua.cookie(localhostBase, 'clever_sandbox_session'), undefined);
    const elsewhere = await ua.get(`${localhostBase}/in/springfield`);
    assert.match(elsewhere.body, /id="login-form"/);
    const here = await ua.get(`${base}/in/springfield`);
    assert.match(here.body, /Bart Simpson/);
  });

  test('drops cookies the server expires', async () => {
    const ua = new UserAgent();
    await ua.get(`${base}/in/springfield`);
    assert.ok(ua.cookie(base, 'clever_sandbox_session'));
    await ua.get(`${base}/logout`);
    assert.equal(ua.cookie(base, 'clever_sandbox_session'), undefined);
  });

  test('submit: GET forms put fields in the query; hidden inputs are kept', async () => {
    const ua = new UserAgent();
    const picker = await ua.get(`${base}/oauth/authorize?response_type=code&client_id=full-app`);
    const target = new URL(picker.url).searchParams.get('target');
    const results = await ua.submit(picker, { form: 'school-search', fields: { q: ids.rio } });
    const url = new URL(results.url);
    assert.equal(url.pathname, '/oauth/school-picker');
    assert.equal(url.searchParams.get('target'), target);
    assert.equal(url.searchParams.get('q'), ids.rio);
  });

  test('click: by link text or by href substring', async () => {
    const ua = new UserAgent();
    const home = await ua.get(`${base}/`);
    const byText = await ua.click(home, 'Instant Login: Springfield Public Schools');
    assert.match(byText.body, /id="login-form"/);
    const byHref = await ua.click(home, '/in/rio');
    assert.match(byHref.body, /Log in with Google/);
  });

  test('explains what it could not find', async () => {
    const ua = new UserAgent();
    const home = await ua.get(`${base}/`);
    await assert.rejects(ua.click(home, 'No such link'), /no link matching "No such link"/);
    await assert.rejects(ua.submit(home, { form: 'nope' }), /no form matching "nope"/);
  });

  test('decodes HTML character references', () => {
    assert.equal(decodeHtml('a&amp;b &lt;&gt; &quot;&#39; &#x41;&#66; &unknown;'), 'a&b <> "\' AB &unknown;');
  });
});
