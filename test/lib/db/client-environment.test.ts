import {expect} from 'chai'

import {clientEnvironment} from '../../../src/lib/db/client-environment.js'

describe('the environment actions:run gives a command', function () {
  const heroku = 'postgres://u%40ser:p%2Fss%3Aword@ec2-192-0-2-4.compute-1.example.invalid:5432/d1abc?sslmode=require&uselibpqcompat=true'

  it('has DATABASE_URL as postgresql:// without query parameters, and the PG* variables decoded', function () {
    const env = clientEnvironment(heroku, {PATH: '/bin'})
    expect(env).to.deep.equal({
      DATABASE_URL: 'postgresql://u%40ser:p%2Fss%3Aword@ec2-192-0-2-4.compute-1.example.invalid:5432/d1abc',
      PATH: '/bin',
      PGDATABASE: 'd1abc',
      PGHOST: 'ec2-192-0-2-4.compute-1.example.invalid',
      PGPASSWORD: 'p/ss:word',
      PGPORT: '5432',
      PGSSLMODE: 'require',
      PGUSER: 'u@ser',
    })
  })

  it('requires SSL for a remote host whatever PGSSLMODE says, and keeps verify-full when asked for', function () {
    expect(clientEnvironment(heroku, {PGSSLMODE: 'disable'}).PGSSLMODE).to.equal('require')
    expect(clientEnvironment(heroku, {PGSSLMODE: 'verify-full'}).PGSSLMODE).to.equal('verify-full')
  })

  it('leaves PGSSLMODE as the user has it for a loopback host', function () {
    expect(clientEnvironment('postgres://u:password@127.0.0.1:5433/db', {}).PGSSLMODE).to.equal(undefined)
    expect(clientEnvironment('postgres://u:password@127.0.0.1:5433/db', {PGSSLMODE: 'disable'}).PGSSLMODE).to.equal('disable')
  })

  it('drops PGHOSTADDR and PGSERVICE, which would send libpq elsewhere', function () {
    const env = clientEnvironment(heroku, {PGHOSTADDR: '192.0.2.1', PGSERVICE: 'prod'})
    expect(env).not.to.have.any.keys('PGHOSTADDR', 'PGSERVICE')
  })

  it('brackets an IPv6 host in the URL', function () {
    expect(clientEnvironment('postgres://u:password@[::1]:5432/db', {}).DATABASE_URL).to.equal('postgresql://u:password@[::1]:5432/db')
  })
})
