export interface Statement {
  /** 1-based, in script order */
  number: number
  /** where `text` starts in the script (UTF-16 offset) */
  offset: number
  /** from the statement's first token to its last, without the closing semicolon */
  text: string
}

export interface SplitScript {
  /** offset of a psql meta-command (\copy, \i, ...), which is not SQL */
  metaCommandAt?: number
  statements: Statement[]
}

const IDENT_START = /[A-Za-z_\u0080-\uFFFF]/
const IDENT_PART = /[\w$\u0080-\uFFFF]/
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uFFFF][\w\u0080-\uFFFF]*)?\$/y

/**
 * What ends a statement: a semicolon outside quotes, comments, parentheses
 * and SQL-standard function bodies (BEGIN ATOMIC ... END). The rules are
 * psql's own (psqlscan.l), so a script that works with `psql -f` is split
 * the same way here.
 */
class Scanner {
  private beginDepth = 0
  private i = 0
  private identifiers: string[] = []
  private metaCommandAt: number | undefined
  private parenDepth = 0
  private start = -1
  private readonly statements: Statement[] = []
  private wordCount = 0

  constructor(private readonly sql: string) {}

  scan(): SplitScript {
    const {sql} = this
    while (this.i < sql.length) {
      const c = sql[this.i]
      if (/\s/.test(c)) this.i++
      else if (sql.startsWith('--', this.i)) this.skipLineComment()
      else if (sql.startsWith('/*', this.i)) this.skipBlockComment()
      else this.token(c)
    }

    this.finish(sql.length)
    return {metaCommandAt: this.metaCommandAt, statements: this.statements}
  }

  private dollar(): void {
    DOLLAR_TAG.lastIndex = this.i
    const tag = DOLLAR_TAG.exec(this.sql)?.[0]
    if (!tag) {
      this.i++
      return
    }

    const end = this.sql.indexOf(tag, this.i + tag.length)
    this.i = end === -1 ? this.sql.length : end + tag.length
  }

  private finish(end: number): void {
    if (this.start >= 0) {
      const text = this.sql.slice(this.start, end).trimEnd()
      this.statements.push({number: this.statements.length + 1, offset: this.start, text})
    }

    this.start = -1
    this.parenDepth = 0
    this.beginDepth = 0
    this.identifiers = []
    this.wordCount = 0
  }

  private quoted(quote: string, backslashEscapes = false): void {
    const {sql} = this
    let j = this.i + 1
    while (j < sql.length) {
      if (backslashEscapes && sql[j] === '\\') j += 2
      else if (sql[j] === quote && sql[j + 1] === quote) j += 2
      else if (sql[j] === quote) break
      else j++
    }

    this.i = j + 1
  }

  private skipBlockComment(): void {
    let depth = 0
    const {sql} = this
    while (this.i < sql.length) {
      if (sql.startsWith('/*', this.i)) {
        depth++
        this.i += 2
      } else if (sql.startsWith('*/', this.i)) {
        depth--
        this.i += 2
        if (depth === 0) return
      } else {
        this.i++
      }
    }
  }

  private skipLineComment(): void {
    const end = this.sql.indexOf('\n', this.i)
    this.i = end === -1 ? this.sql.length : end + 1
  }

  /** Only blanks between the line's start and here: where psql reads a meta-command. */
  private startsLine(): boolean {
    let j = this.i - 1
    while (j >= 0 && (this.sql[j] === ' ' || this.sql[j] === '\t')) j--
    return j < 0 || this.sql[j] === '\n'
  }

  private token(c: string): void {
    if (c === ';') {
      if (this.parenDepth === 0 && this.beginDepth === 0) {
        this.finish(this.i)
        this.i++
        return
      }
    } else if (this.start < 0) {
      this.start = this.i
    }

    if (c === '\\' && this.metaCommandAt === undefined && this.startsLine()) this.metaCommandAt = this.i

    switch (c) {
    case '"': {
      this.quoted('"')
      break;
    }

    case '$': {
      this.dollar()
      break;
    }

    case "'": {
      this.quoted("'")
      break;
    }

    default: {if (IDENT_START.test(c)) this.word()
    else {
      if (c === '(') this.parenDepth++
      if (c === ')') this.parenDepth = Math.max(0, this.parenDepth - 1)
      this.i++
    }
    }
    }
  }

  /**
   * psql counts BEGIN/CASE/END only in statements that start
   * CREATE [OR REPLACE] FUNCTION|PROCEDURE, outside parentheses.
   */
  private word(): void {
    const {sql} = this
    let j = this.i + 1
    while (j < sql.length && IDENT_PART.test(sql[j])) j++
    const word = sql.slice(this.i, j).toLowerCase()
    this.i = j
    if (word === 'e' && sql[j] === "'") {
      this.quoted("'", true)
      return
    }

    if (this.wordCount < 4 && ['create', 'function', 'or', 'procedure', 'replace'].includes(word)) this.identifiers[this.wordCount] = word
    this.wordCount++
    const [first, second, third, fourth] = this.identifiers
    const routine = (w: string | undefined) => w === 'function' || w === 'procedure'
    const inRoutine = first === 'create' && (routine(second) || (second === 'or' && third === 'replace' && routine(fourth)))
    if (!inRoutine || this.parenDepth > 0) return
    if (word === 'begin' || (word === 'case' && this.beginDepth > 0)) this.beginDepth++
    else if (word === 'end' && this.beginDepth > 0) this.beginDepth--
  }
}

export function splitStatements(sql: string): SplitScript {
  return new Scanner(sql).scan()
}

/** Line and column (1-based, in characters as PostgreSQL counts them) of a UTF-16 offset. */
export function lineAndColumn(sql: string, offset: number): {column: number; line: number} {
  const before = sql.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  const lineText = before.slice(lineStart)
  // spread, not .length: the column counts code points, as psql does
  return {column: [...lineText].length + 1, line: before.split('\n').length}
}

/**
 * PostgreSQL's error position counts characters (code points) from 1; turn
 * it into a UTF-16 offset within `text`.
 */
export function positionToOffset(text: string, position: number): number {
  let offset = 0
  let count = 1
  for (const ch of text) {
    if (count >= position) break
    offset += ch.length
    count++
  }

  return offset
}

/**
 * Statements a script run as one transaction cannot contain: transaction
 * control would end that transaction half way, and COPY with STDIN/STDOUT
 * needs psql's data channel. Returns why, or undefined.
 */
export function unsupportedStatement(text: string): string | undefined {
  const head = text.slice(0, 200).replaceAll(/\s+/g, ' ').toLowerCase()
  if (/^(begin|start transaction|commit|end|abort|prepare transaction)\b/.test(head)
    || (/^rollback\b/.test(head) && !/^rollback( work| transaction)? to\b/.test(head))) {
    return 'transaction control'
  }

  if (/^copy\b/.test(head) && /\b(stdin|stdout)\b/.test(head)) return 'copy'
  return undefined
}
