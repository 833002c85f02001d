/** JMH benchmarks of the engine in process, and the side-by-side socket benchmark against swtpm. */
package org.jswtpm.bench;
