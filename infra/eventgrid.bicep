// The Event Grid subscription of the drop trigger (BlobTrigger with Source = EventGrid, function DropBlobUploaded).
// Deploy after the code: the webhook's key is the host's blobs_extension system key, made when the app first runs,
// and Event Grid validates the endpoint when the subscription is created.
targetScope = 'resourceGroup'

param location string = resourceGroup().location

@description('The Function App (output functionAppName of main.bicep).')
param functionAppName string

@description('The storage account (output storageAccountName of main.bicep).')
param storageAccountName string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2024-06-01-preview' = {
  name: '${storageAccountName}-events'
  location: location
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

var blobsKey = listKeys('${app.id}/host/default', '2024-04-01').systemKeys.blobs_extension

resource dropSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2024-06-01-preview' = {
  parent: topic
  name: 'drop-blob-created'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${app.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.DropBlobUploaded&code=${blobsKey}'
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/drop/'
    }
    eventDeliverySchema: 'EventGridSchema'
  }
}
