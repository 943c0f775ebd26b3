using '../main.bicep'

param name = 'flitprod'
param maximumInstanceCount = 40
param enablePurgeProtection = true
param tenants = ['acme']
param connections = [
  { name: 'acme', target: 'odoo://migration@acme.odoo.com:443/acme', secretName: 'acme-odoo-api-key' }
]
