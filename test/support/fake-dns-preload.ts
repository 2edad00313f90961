import {installFakeDns} from './fake-dns.js'

// For a subprocess: NODE_OPTIONS='--import tsx --import <this file>' and
// FAKE_DNS='name=127.0.0.1,other=127.0.0.2'.
installFakeDns(Object.fromEntries((process.env.FAKE_DNS ?? '').split(',').filter(Boolean).map(pair => pair.split('=') as [string, string])))
