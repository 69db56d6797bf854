// Initiates replica set rs0 for docker-compose.yml (service mongo-init, run by mongosh against
// mongo-1). Safe to rerun: an initiated set is left alone.
const members = ['mongo-1:27017', 'mongo-2:27017', 'mongo-3:27017'].map((host, _id) => ({ _id, host }));

try {
  rs.status();
  print('rs0 is already initiated');
} catch (error) {
  // Only "not initiated yet" leads to initiate; anything else (network, auth) must fail the run.
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate({ _id: 'rs0', members });
  print('rs0 initiated');
}

// The apps start when this service exits, so exit only once writes have a primary to go to.
for (let second = 0; second < 60; second++) {
  const primary = db.hello().primary;
  if (primary) {
    print(`rs0 primary: ${primary}`);
    quit(0);
  }
  sleep(1000);
}
print('rs0 elected no primary within 60 s');
quit(1);
