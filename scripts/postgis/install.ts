/**
 * npm run postgis:install — installs Debian's postgresql and postgis packages (apt-get, as root)
 * when they are missing, so the PostGIS mirror's tests and `npm run bench:engine` can start their
 * throwaway cluster. Prints the versions of a cluster started and stopped again as a check.
 */
import { ensurePostgisInstalled, startPostgis } from './cluster.js';

ensurePostgisInstalled();
const cluster = startPostgis();
try {
  console.log(`PostGIS is installed: ${cluster.versions()}`);
} finally {
  cluster.stop();
}
