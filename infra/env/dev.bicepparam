using '../main.bicep'

param name = 'flitdev'
param maximumInstanceCount = 10
param enablePurgeProtection = false
param tenants = ['acme']
param connections = [
  { name: 'acme', target: 'odoo://migration@acme-staging.odoo.com:443/acme-staging', secretName: 'acme-odoo-api-key' }
]
