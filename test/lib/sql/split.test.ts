import {expect} from 'chai'

import {
  lineAndColumn, positionToOffset, splitStatements, unsupportedStatement,
} from '../../../src/lib/sql/split.js'

function texts(sql: string): string[] {
  return splitStatements(sql).statements.map(s => s.text)
}

describe('splitting SQL scripts into statements', function () {
  it('splits on semicolons and skips empty statements and comments between them', function () {
    expect(texts('SELECT 1;  ;\n-- note\nSELECT 2 ;\n/* end */')).to.deep.equal(['SELECT 1', 'SELECT 2'])
  })

  it('keeps a last statement without a semicolon, and its offset in the script', function () {
    const {statements} = splitStatements('SELECT 1;\n  -- c\n  SELECT 2')
    expect(statements.map(s => [s.number, s.offset, s.text])).to.deep.equal([[1, 0, 'SELECT 1'], [2, 19, 'SELECT 2']])
  })

  it('ignores semicolons in strings, quoted identifiers, comments and dollar quotes', function () {
    const sql = [
      "INSERT INTO t VALUES ('a;b', 'it''s;')",
      'SELECT 1 AS "x;y"',
      String.raw`SELECT E'\';' AS e`,
      'SELECT 1 /* a; /* nested; */ still; */',
      'SELECT 2 -- trailing; comment\n + 1',
      'CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END $body$ LANGUAGE plpgsql',
      'DO $$ BEGIN PERFORM 1; END $$',
    ].join(';\n')
    expect(texts(sql)).to.have.length(7)
    expect(texts(sql)[2]).to.equal(String.raw`SELECT E'\';' AS e`)
  })

  it('treats $1 as a parameter and a$b$ as an identifier, not as dollar quotes', function () {
    expect(texts('SELECT $1; SELECT a$b$ FROM t; SELECT 3')).to.deep.equal(['SELECT $1', 'SELECT a$b$ FROM t', 'SELECT 3'])
  })

  it('keeps a BEGIN ATOMIC function body whole, as psql does', function () {
    const sql = `CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;
  SELECT 1;
END;
SELECT add(1, 2)`
    expect(texts(sql)).to.have.length(2)
    expect(texts(sql)[1]).to.equal('SELECT add(1, 2)')
  })

  it('ends a statement at a semicolon after an unrelated END', function () {
    expect(texts('BEGIN; SELECT 1; END; SELECT 2')).to.deep.equal(['BEGIN', 'SELECT 1', 'END', 'SELECT 2'])
  })

  it('reports a psql meta-command at the start of a line, not a backslash in a string', function () {
    expect(splitStatements("SELECT '\\x';\n").metaCommandAt).to.equal(undefined)
    expect(splitStatements('SELECT 1;\n  \\copy t from x.csv\n').metaCommandAt).to.equal(12)
  })

  it('refuses transaction control and COPY through STDIN, and allows savepoints', function () {
    for (const text of ['BEGIN', 'start transaction', 'COMMIT', 'end', 'ROLLBACK', 'abort', 'COPY t FROM STDIN']) {
      expect(unsupportedStatement(text), text).not.to.equal(undefined)
    }

    for (const text of ['SAVEPOINT a', 'ROLLBACK TO SAVEPOINT a', 'rollback to a', 'RELEASE a', "COPY t TO '/tmp/x'", 'ENDPOINT()']) {
      expect(unsupportedStatement(text), text).to.equal(undefined)
    }
  })
})

describe('positions in SQL scripts', function () {
  it('turns an offset into line and column, counting characters like PostgreSQL', function () {
    const sql = "SELECT 1;\nSELECT '😀', x"
    expect(lineAndColumn(sql, sql.indexOf('x'))).to.deep.equal({column: 13, line: 2})
  })

  it("turns PostgreSQL's 1-based character position into an offset", function () {
    const text = "SELECT '😀', x"
    expect(positionToOffset(text, 13)).to.equal(text.indexOf('x'))
    expect(positionToOffset(text, 1)).to.equal(0)
  })
})
