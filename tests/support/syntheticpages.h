#pragma once

#include "api/recordbatch.h"

namespace fs::testsupport {

// Contacts `first` … `first + count - 1` of a `total`-row result as one query page (Id, LastName,
// Email, Score__c, Account.Name, SystemModstamp), the same for every caller: the grid streaming
// test and bench_grid feed the grid these pages.
fs::RecordBatch syntheticContactPage(int first, int count, qint64 total);

} // namespace fs::testsupport
