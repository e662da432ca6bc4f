package dev.berth.server.meta;

import dev.berth.spec.Digest;
import dev.berth.spec.RepositoryName;
import dev.berth.spec.Tag;
import java.util.List;
import java.util.Optional;

/** The reads that serve pulls: the part of the {@link MetadataStore} a cache can answer from memory. */
public interface MetadataReads {

    /**
     * A committed blob, if the registry holds it: recorded by {@link MetadataStore#putBlob} or as a
     * manifest's bytes, whether or not a repository links it now.
     */
    Optional<BlobRecord> blob(Digest digest);

    boolean isBlobLinked(RepositoryName repository, Digest digest);

    Optional<ManifestRecord> manifest(RepositoryName repository, Digest digest);

    Optional<Digest> resolveTag(RepositoryName repository, Tag tag);

    /** Tags of a repository in lexical order after {@code last}, at most {@code limit}. */
    List<Tag> tags(RepositoryName repository, String last, int limit);

    /** Whether {@code repository} would be listed by {@link #repositories}. */
    boolean repositoryExists(RepositoryName repository);

    /**
     * Repositories in lexical order after {@code last}, at most {@code limit}: those that hold at least
     * one manifest or linked blob. One emptied by deletes and unlinks drops out until its next push.
     */
    List<RepositoryName> repositories(String last, int limit);
}
