// The JSON API against its description, docs/api.yaml: the server on the demo data
// answers every GET route the file documents, and each answer (and a few errors) is
// checked against the schema the file gives for that operation and status, with a
// real JSON Schema validator (ajv). Every route the server lists at /api/v1 must be
// in the file, and every route in the file must be served, so the two cannot drift.
// The file is read through the pinned Redocly CLI (`redocly bundle --dereferenced`),
// the same tool `make api-lint` lints it with.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { startServer, ROOT } from './server.mjs';

// Documented before the server has them: accounts land in their own branch.
const NOT_YET_SERVED = new Set(['POST /api/v1/session', 'DELETE /api/v1/session']);

function loadApi() {
    const dir = mkdtempSync(join(tmpdir(), 'rt-api-'));
    try {
        const out = join(dir, 'api.json');
        execFileSync(join(ROOT, 'tests/web/node_modules/.bin/redocly'),
            ['bundle', join(ROOT, 'docs/api.yaml'), '--dereferenced', '-o', out],
            { stdio: ['ignore', 'ignore', 'pipe'],
              env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
        return JSON.parse(readFileSync(out, 'utf8'));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

// OpenAPI 3.0 schema -> JSON Schema: nullable becomes "or null"; example goes.
function toJsonSchema(s) {
    if (Array.isArray(s)) return s.map(toJsonSchema);
    if (!s || typeof s !== 'object') return s;
    const out = {};
    for (const [k, v] of Object.entries(s)) {
        if (k === 'nullable' || k === 'example') continue;
        out[k] = k === 'properties'
            ? Object.fromEntries(Object.entries(v).map(([n, p]) => [n, toJsonSchema(p)]))
            : toJsonSchema(v);
    }
    return s.nullable ? { anyOf: [{ type: 'null' }, out] } : out;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

let api, srv, ajv;
const validators = new Map();
const exercised = new Set();

// The validator of operation METHOD PATH's JSON answer with status.
function validatorFor(method, path, status) {
    const key = `${method} ${path} ${status}`;
    if (!validators.has(key)) {
        const op = api.paths[path]?.[method];
        assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
        const resp = op.responses[String(status)];
        assert.ok(resp, `${method.toUpperCase()} ${path} documents status ${status}`);
        const schema = resp.content?.['application/json']?.schema;
        assert.ok(schema, `${method.toUpperCase()} ${path} ${status} has a JSON schema`);
        validators.set(key, ajv.compile(toJsonSchema(schema)));
    }
    return validators.get(key);
}

async function getJson(url) {
    const res = await fetch(srv.url + url);
    const body = await res.json();
    return { status: res.status, body };
}

// Checks the answer to GET url against the schema of `path` for the status it had.
async function check(path, url, want = 200) {
    const { status, body } = await getJson(url);
    assert.equal(status, want, `GET ${url}: ${JSON.stringify(body).slice(0, 300)}`);
    const validate = validatorFor('get', path, status);
    const ok = validate(body);
    assert.ok(ok, `GET ${url} (${status}) does not match docs/api.yaml: ` +
        JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    exercised.add(path);
    return body;
}

describe('the API and docs/api.yaml', () => {
    before(async () => {
        api = loadApi();
        ajv = new Ajv({ strict: true, strictTypes: false, allErrors: true });
        srv = await startServer();
    });
    after(async () => {
        if (srv) {
            const st = await srv.stop();
            assert.deepEqual(st, { code: 0, sig: null }, 'serve stops cleanly on SIGTERM');
        }
    });

    it('has no key with a space in it (a comma in an unquoted YAML value makes one)', () => {
        const bad = [];
        const walk = (v, where) => {
            if (!v || typeof v !== 'object') return;
            for (const [k, x] of Object.entries(v)) {
                if (/\s/.test(k)) bad.push(`${where}/${k}`);
                walk(x, `${where}/${k}`);
            }
        };
        walk(api, '#');
        assert.deepEqual(bad, []);
    });

    it('documents every route the server serves, and serves every documented route', async () => {
        const index = await check('/api/v1', '/api/v1');
        const served = index.routes.map((r) => `${r.method} ${r.path}`).sort();
        const documented = Object.entries(api.paths)
            .flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${p}`))
            .sort();
        assert.ok(served.length >= 20, `the index lists the routes (${served.length})`);
        assert.deepEqual(served.filter((r) => !documented.includes(r)), [], 'served but not in docs/api.yaml');
        assert.deepEqual(documented.filter((r) => !served.includes(r) && !NOT_YET_SERVED.has(r)), [],
            'in docs/api.yaml but not served');
    });

    it('writes need a session or a token; reads do not', () => {
        for (const [p, item] of Object.entries(api.paths)) {
            for (const m of METHODS.filter((x) => item[x])) {
                const sec = item[m].security ?? api.security;
                const anonymous = sec.some((r) => Object.keys(r).length === 0);
                const key = `${m.toUpperCase()} ${p}`;
                // Logging in needs no session; logging out ends the one the cookie names.
                if (key === 'POST /api/v1/session') { assert.ok(anonymous, key); continue; }
                if (key === 'DELETE /api/v1/session') {
                    assert.deepEqual(sec, [{ sessionCookie: [] }], key);
                    continue;
                }
                // Parsing a readout writes nothing.
                const writes = m !== 'get' && p !== '/api/v1/readouts/parse';
                assert.equal(anonymous, !writes, `${key}: anonymous ${anonymous}`);
                if (writes) {
                    assert.ok(sec.some((r) => 'sessionCookie' in r) && sec.some((r) => 'bearerAuth' in r),
                        `${m.toUpperCase()} ${p} takes the session cookie or a bearer token`);
                    assert.ok(item[m].responses['401'], `${m.toUpperCase()} ${p} documents 401`);
                }
            }
        }
        assert.equal(api.components.securitySchemes.sessionCookie.name, 'rt_session');
        assert.equal(api.components.securitySchemes.bearerAuth.scheme, 'bearer');
    });

    it('answers every documented GET route as its schema says', async () => {
        // Real path parameters from the demo data, found through the API itself.
        const search = await check('/api/v1/recommendations', '/api/v1/recommendations?limit=100&facets=true');
        assert.ok(search.hits.length >= 10, 'the demo data has recommendations');
        assert.deepEqual(Object.keys(search.facets), ['response', 'cycle', 'theme', 'state_under_review'],
            'facets=true adds the counts');
        await check('/api/v1/recommendations', '/api/v1/recommendations?q=death+penalty&sur=BLR&limit=5');
        await check('/api/v1/recommendations', '/api/v1/recommendations?q=nothingmatchesthisword');
        const dialogues = await check('/api/v1/dialogues', '/api/v1/dialogues');
        assert.ok(dialogues.length >= 1, 'the demo data has a dialogue');
        const states = new Set(search.hits.map((h) => h.state_under_review_code));
        const recs = search.hits.map((h) => h.id);
        const rounds = [];
        const asks = [];
        for (const d of dialogues) {
            const dlg = await check('/api/v1/dialogues/{id}', `/api/v1/dialogues/${d.id}`);
            rounds.push(...dlg.rounds.map((r) => r.id));
            d.parties.forEach((p) => states.add(p));
            for (const asOf of ['', '?as_of=2015-09', '?as_of=2016']) {
                await check('/api/v1/dialogues/{id}/timeline', `/api/v1/dialogues/${d.id}/timeline${asOf}`);
                await check('/api/v1/dialogues/{id}/reciprocity', `/api/v1/dialogues/${d.id}/reciprocity${asOf}`);
                await check('/api/v1/dialogues/{id}/brief', `/api/v1/dialogues/${d.id}/brief${asOf}`);
            }
            await check('/api/v1/dialogues/{id}/brief', `/api/v1/dialogues/${d.id}/brief?as_of=2000`);
            await check('/api/v1/dialogues/{id}/steps', `/api/v1/dialogues/${d.id}/steps`);
        }
        assert.ok(rounds.length >= 2, 'the demo dialogue has rounds');
        for (const r of rounds) {
            const round = await check('/api/v1/rounds/{id}', `/api/v1/rounds/${r}`);
            asks.push(...round.asks.map((a) => a.id));
            await check('/api/v1/rounds/{id}/since', `/api/v1/rounds/${r}/since`);
            await check('/api/v1/rounds/{id}/since', `/api/v1/rounds/${r}/since?as_of=2016-01`);
        }
        for (const id of recs) {
            await check('/api/v1/recommendations/{id}', `/api/v1/recommendations/${id}`);
            await check('/api/v1/recommendations/{id}/status', `/api/v1/recommendations/${id}/status`);
        }
        for (const s of states) {
            await check('/api/v1/states/{state}/profile', `/api/v1/states/${s}/profile`);
            await check('/api/v1/states/{state}/profile', `/api/v1/states/${s}/profile?as_of=2015`);
        }
        assert.ok(asks.length >= 1, 'the demo rounds have asks');
        for (const target of [...asks.map((a) => `ask:${a}`), `rec:${recs[0]}`, 'benchmark:1', 'commitment:1']) {
            await check('/api/v1/status', `/api/v1/status?target=${target}`);
            await check('/api/v1/status', `/api/v1/status?target=${target}&as_of=2015-10`);
        }
        const gets = Object.entries(api.paths).filter(([, item]) => item.get).map(([p]) => p);
        assert.deepEqual(gets.filter((p) => !exercised.has(p)), [], 'documented GET routes left unchecked');
    });

    it('answers errors with the documented error schema', async () => {
        await check('/api/v1/rounds/{id}', '/api/v1/rounds/999999', 404);
        await check('/api/v1/recommendations/{id}', '/api/v1/recommendations/abc', 404);
        await check('/api/v1/dialogues/{id}', '/api/v1/dialogues/999999', 404);
        await check('/api/v1/states/{state}/profile', '/api/v1/states/XXX/profile', 404);
        const e = await check('/api/v1/dialogues/{id}/timeline', '/api/v1/dialogues/1/timeline?as_of=2015-13-01', 422);
        assert.equal(e.error.field, 'as-of');
        const sur = await check('/api/v1/recommendations', '/api/v1/recommendations?sur=Atlantis', 422);
        assert.equal(sur.error.field, 'sur');
        const lim = await check('/api/v1/recommendations', '/api/v1/recommendations?limit=99999999', 400);
        assert.equal(lim.error.field, 'limit');
        await check('/api/v1/status', '/api/v1/status?target=step:1', 422);
    });

    it('catches drift: an answer with a field the file does not know fails its schema', () => {
        const validate = validatorFor('get', '/api/v1/dialogues', 200);
        const row = { id: 1, name: 'x', kind: 'bilateral', parties: ['USA'], rounds: 0, last_round: null };
        assert.ok(validate([row]));
        assert.ok(!validate([{ ...row, colour: 'red' }]), 'an unknown field');
        assert.ok(!validate([{ ...row, rounds: '2' }]), 'a wrong type');
        const { name, ...noName } = row;
        assert.ok(name && !validate([noName]), 'a missing field');
    });
});
