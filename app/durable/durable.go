// Package durable holds what makes a write to Porchlight's data directory
// survive a crash or a power cut beyond the file's own data: syncing the
// directory that names the file.
package durable
