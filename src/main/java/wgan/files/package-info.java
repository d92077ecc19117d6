/**
 * File-system primitives every writer shares: atomic writes (temporary file, fsync, rename) and
 * file errors put in words a user can act on. Below wgan.data and wgan.io, so neither needs the other.
 */
package wgan.files;
