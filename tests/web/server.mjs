// Starts `rightstrack serve` on a fresh database for the browser tests.
//
//   const srv = await startServer();   // srv.url = 'http://127.0.0.1:PORT'
//   ...
//   await srv.stop();
//
// The binary is $RT (default build/debug/rightstrack, relative to the repository
// root). The store is $RT_TEST_STORE: sqlite (the default), files in a temporary
// directory; or postgresql, a new database for each in the throwaway cluster that
// tests/web/run.sh starts ($RT_TEST_PG_HOST, its socket's directory, and
// $RT_TEST_PG_BIN, its programs). The database is built from the demo data
// (data/demo/recommendations.csv and data/demo/us-belarus.sh), plus 25 extra
// death-penalty recommendations for Uzbekistan so that a search for "death
// penalty" runs over more than one page (the pages show 20 hits at a time).
import { spawn, execFileSync } from 'node:child_process';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTRA_DEATH_PENALTY = 25;
export const STORE = process.env.RT_TEST_STORE || 'sqlite';
if (STORE !== 'sqlite' && STORE !== 'postgresql')
    throw new Error(`RT_TEST_STORE is sqlite or postgresql, not '${STORE}'`);
const PG_HOST = process.env.RT_TEST_PG_HOST;
const PG_BIN = process.env.RT_TEST_PG_BIN;
if (STORE === 'postgresql' && !(PG_HOST && PG_BIN))
    throw new Error('RT_TEST_STORE=postgresql needs RT_TEST_PG_HOST and RT_TEST_PG_BIN: run tests/web/run.sh');
// The PostgreSQL pass keeps its screenshots apart from the SQLite pass's.
export const SHOTS = join(ROOT, 'build', STORE === 'postgresql' ? 'web-screenshots-pg' : 'web-screenshots');

// psql on database d of the run's cluster, as its user rt, stopping at the first error;
// returns what it prints (unaligned, no headings).
function pgSql(sql, d = 'postgres') {
    return execFileSync(join(PG_BIN, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', PG_HOST,
        '-U', 'rt', '-d', d, '-c', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' } }).trim();
}

// A new database named after name (web.db, journey.db ...) that no rightstrack has
// opened yet: on SQLite the file name in dir, which does not exist; on PostgreSQL a new
// empty database in the run's cluster, its name holding this process's id and a count
// (the test files run at once, each in its own process), and a postgresql:// URL to it.
// dropDb removes it.
let made = 0;
export function newDb(dir, name) {
    if (STORE === 'sqlite') return join(dir, name);
    const d = `rt_web_${name.replace(/\.db$/, '').replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}_${process.pid}_${++made}`;
    pgSql(`CREATE DATABASE ${d}`);
    return `postgresql:///${d}?host=${PG_HOST}`;
}

// Drops a database newDb made on PostgreSQL (once its server has stopped); on SQLite the
// file goes with its directory.
export function dropDb(db) {
    const m = /^postgresql:\/\/\/([a-z0-9_]+)\?/.exec(db);
    if (m) pgSql(`DROP DATABASE IF EXISTS ${m[1]}`);
}

// Asserts that a running server's database is in the run's store, so that a pass that
// says postgresql did not quietly run on SQLite files: on SQLite the file is there; on
// PostgreSQL the URL names a database of the cluster that holds the store's table meta
// (made by the import or by serve) and no file of that name was made.
export function assertStore(db) {
    if (STORE === 'sqlite') {
        assert.ok(existsSync(db), `the SQLite file ${db} is there`);
        return;
    }
    const m = /^postgresql:\/\/\/([a-z0-9_]+)\?host=/.exec(db);
    assert.ok(m, `${db} is a database of the cluster`);
    assert.equal(pgSql("SELECT count(*) FROM pg_tables WHERE tablename = 'meta'", m[1]), '1',
        `the PostgreSQL database ${m[1]} holds the store's tables`);
    assert.ok(!existsSync(join(ROOT, db)), 'no SQLite file was made under the URL\'s name');
}

// How the browser tests start Debian's chromium ($CHROMIUM to use another).
export const LAUNCH = {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

const RECOMMENDERS = ['Sweden', 'Italy', 'France', 'Spain', 'Norway'];

function extraCsv() {
    const head = 'id,session,cycle,review_year,state_under_review,sur_region,sur_orgs,' +
        'recommending_state,rs_region,rs_orgs,response,action_category,issues,text,source_file';
    const rows = [];
    for (let i = 0; i < EXTRA_DEATH_PENALTY; i++) {
        rows.push([900 + i, 30, 3, 2018, 'Uzbekistan', 'APG', '',
            RECOMMENDERS[i % RECOMMENDERS.length], 'WEOG', '', 'Noted', 5, 'Death penalty',
            `"Remove the death penalty from law, item ${i + 1} of the web test data."`,
            'web-test'].join(','));
    }
    return head + '\n' + rows.join('\n') + '\n';
}

export async function startServer() {
    const rt = resolve(ROOT, process.env.RT || 'build/debug/rightstrack');
    const dir = mkdtempSync(join(tmpdir(), 'rt-web-'));
    const run = (file, args) => execFileSync(file, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let db;
    try {
        db = newDb(dir, 'web.db');
        run(rt, ['--db', db, 'import', join(ROOT, 'data/demo/recommendations.csv')]);
        run('sh', [join(ROOT, 'data/demo/us-belarus.sh'), rt, '--db', db]);
        writeFileSync(join(dir, 'extra.csv'), extraCsv());
        run(rt, ['--db', db, 'import', join(dir, 'extra.csv')]);
    } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        if (db) dropDb(db);
        throw new Error(`building the test database failed: ${e.message}\n${e.stderr || ''}`);
    }

    try {
        return await serve(rt, db, dir);
    } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        dropDb(db);
        throw e;
    }
}

// Runs `rightstrack serve` on db until stop(); dir (a temporary directory) and db go
// with it.
async function serve(rt, db, dir) {
    const child = spawn(rt, ['--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s) => { stderr += s; });
    const exited = new Promise((res) => child.once('exit', (code, sig) => res({ code, sig })));

    const url = await new Promise((res, rej) => {
        let out = '';
        const timer = setTimeout(() => rej(new Error(`serve printed no URL in 10 s: ${out}${stderr}`)), 10000);
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (s) => {
            out += s;
            const m = out.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
            if (m) { clearTimeout(timer); res(m[1]); }
        });
        exited.then(({ code, sig }) => {
            clearTimeout(timer);
            rej(new Error(`serve exited (${code ?? sig}) before listening: ${stderr}`));
        });
    });

    return {
        url,
        db,
        dir,
        // SIGTERM lets the server finish the requests under way; returns its exit status.
        async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
            const st = await exited;
            clearTimeout(killer);
            rmSync(dir, { recursive: true, force: true });
            dropDb(db);
            return st;
        },
    };
}

// `serve` on a database that is not there yet (serve makes it, as a desk officer
// starting from nothing would: on SQLite the file; on PostgreSQL an empty database,
// newDb's, where serve makes the schema), in a new temporary directory (srv.dir, for
// the test's own files) that stop() removes.
export async function startEmptyServer(name = 'new.db') {
    const rt = resolve(ROOT, process.env.RT || 'build/debug/rightstrack');
    const dir = mkdtempSync(join(tmpdir(), 'rt-web-empty-'));
    let db;
    try {
        db = newDb(dir, name);
        return await serve(rt, db, dir);
    } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        if (db) dropDb(db);
        throw e;
    }
}

// The hooks of a browser test that starts from nothing, registered where it is called
// (inside a describe, so that a skipped describe starts nothing): before its tests, a
// server on a database that does not exist yet (startEmptyServer), chromium, a context
// made with contextOptions and a page in it; after them, all closed, and the server must
// have stopped cleanly on SIGTERM. suite.server, .browser, .context and .page are set
// once the before hook has run.
export function emptySuite(contextOptions = {}, dbName = 'new.db') {
    const suite = {};
    before(async () => {
        mkdirSync(SHOTS, { recursive: true });
        suite.server = await startEmptyServer(dbName);
        assertStore(suite.server.db);
        suite.browser = await chromium.launch(LAUNCH);
        suite.context = await suite.browser.newContext(contextOptions);
        suite.page = await suite.context.newPage();
    });
    after(async () => {
        await suite.context?.close();
        await suite.browser?.close();
        if (suite.server)
            assert.deepEqual(await suite.server.stop(), { code: 0, sig: null }, 'serve stops cleanly on SIGTERM');
    });
    return suite;
}

// The hooks every browser test file needs: before its tests, a server on a fresh
// database (startServer) and chromium; after them, both closed, and the server must
// have stopped cleanly on SIGTERM. suite.server and suite.browser are set once the
// before hook has run; ready(browser), when given, runs at its end.
export function browserSuite(ready) {
    const suite = {};
    before(async () => {
        mkdirSync(SHOTS, { recursive: true });
        suite.server = await startServer();
        assertStore(suite.server.db);
        suite.browser = await chromium.launch(LAUNCH);
        if (ready) await ready(suite.browser);
    });
    after(async () => {
        await suite.browser?.close();
        if (suite.server) {
            const st = await suite.server.stop();
            assert.deepEqual(st, { code: 0, sig: null }, 'serve stops cleanly on SIGTERM');
        }
    });
    return suite;
}
