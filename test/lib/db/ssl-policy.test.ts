import {expect} from 'chai'

import {isLoopback, sslMode, tlsOptions} from '../../../src/lib/db/ssl-policy.js'

// What a user can put in PGSSLMODE (libpq's values, node-postgres' no-verify, junk, case variants).
const REQUESTS = [undefined,
  '',
  'disable',
  'allow',
  'prefer',
  'require',
  'no-verify',
  'verify-ca',
  'verify-full',
  'DISABLE',
  'Disable',
  ' disable',
  'off',
  'false',
  '0',
  'plaintext']

// Hosts that are not loopback, some of them look-alikes of loopback. Never connected to (pure decisions);
// names under .invalid and addresses from the documentation ranges (RFC 5737, RFC 3849), routed nowhere.
const REMOTE_HOSTS = ['ec2-192-0-2-3.compute-1.example.invalid',
  'db.example.invalid',
  '192.0.2.7',
  '198.51.100.20',
  '2001:db8::1',
  '[2001:db8::1]',
  '::ffff:127.0.0.1',
  '127.0.0.1.wildcard-dns.invalid',
  'localhost.example.invalid',
  'localhost.',
  'LOCALHOST.example.invalid',
  '0.0.0.0',
  '127.1',
  '1.127.0.0.1',
  'x127.0.0.1',
  '127.0.0.1x',
  '']

describe('ssl policy', function () {
  describe('a host that is not loopback', function () {
    it('is never reached in plaintext, whatever PGSSLMODE says', function () {
      for (const host of REMOTE_HOSTS) {
        expect(isLoopback(host), host).to.equal(false)
        for (const requested of REQUESTS) {
          const mode = sslMode(host, requested)
          const tls = tlsOptions(mode, host)
          expect(tls, `${host} with PGSSLMODE=${requested}`).to.be.an('object')
          expect(mode, `${host} with PGSSLMODE=${requested}`).to.be.oneOf(['require', 'verify-full'])
        }
      }
    })

    it('is encrypted without certificate checks by default (libpq require), like Heroku needs', function () {
      for (const requested of [undefined, '', 'disable', 'prefer', 'require', 'no-verify']) {
        expect(sslMode('db.example.invalid', requested)).to.equal('require')
      }

      expect(tlsOptions('require', 'db.example.invalid')).to.deep.equal({rejectUnauthorized: false})
    })

    it('checks certificate and host name with verify-full (and verify-ca)', function () {
      expect(sslMode('db.example.invalid', 'verify-full')).to.equal('verify-full')
      expect(sslMode('db.example.invalid', 'verify-ca')).to.equal('verify-full')
      const tls = tlsOptions('verify-full', 'db.example.invalid')
      expect(tls).to.include({rejectUnauthorized: true, servername: 'db.example.invalid'})
    })

    it('reads the mode from PGSSLMODE when none is passed', function () {
      const saved = process.env.PGSSLMODE
      try {
        process.env.PGSSLMODE = 'disable'
        expect(sslMode('db.example.invalid')).to.equal('require')
        expect(sslMode('127.0.0.1')).to.equal('disable')
        process.env.PGSSLMODE = 'verify-full'
        expect(sslMode('db.example.invalid')).to.equal('verify-full')
      } finally {
        if (saved === undefined) delete process.env.PGSSLMODE
        else process.env.PGSSLMODE = saved
      }
    })
  })

  describe('a loopback host', function () {
    it('tries SSL first and may fall back to plaintext (libpq prefer)', function () {
      for (const host of ['127.0.0.1', '127.3.4.5', 'localhost', '::1', '[::1]']) {
        expect(isLoopback(host), host).to.equal(true)
        expect(sslMode(host), host).to.equal('prefer')
        expect(tlsOptions('prefer', host), host).to.deep.equal({rejectUnauthorized: false})
      }
    })

    it('uses plaintext only when PGSSLMODE=disable asks for it', function () {
      expect(sslMode('127.0.0.1', 'disable')).to.equal('disable')
      expect(tlsOptions('disable', '127.0.0.1')).to.equal(false)
      expect(sslMode('127.0.0.1', 'require')).to.equal('require')
      expect(sslMode('127.0.0.1', 'verify-full')).to.equal('verify-full')
    })
  })

  it('names no server for an IP address under verify-full (TLS SNI takes host names only)', function () {
    expect(tlsOptions('verify-full', '192.0.2.7')).to.include({rejectUnauthorized: true, servername: undefined})
    expect(tlsOptions('verify-full', '2001:db8::1')).to.include({servername: undefined})
  })

  it('refuses an unreadable PGSSLROOTCERT with one line naming the file', function () {
    const saved = process.env.PGSSLROOTCERT
    try {
      process.env.PGSSLROOTCERT = '/nonexistent/root.crt'
      expect(() => tlsOptions('verify-full', 'db.example.invalid')).to.throw(/^cannot read PGSSLROOTCERT \/nonexistent\/root\.crt: [^\n]+$/)
    } finally {
      if (saved === undefined) delete process.env.PGSSLROOTCERT
      else process.env.PGSSLROOTCERT = saved
    }
  })
})
